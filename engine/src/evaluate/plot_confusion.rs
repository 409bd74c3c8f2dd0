//! The intent confusion matrix as an SVG picture meant to be read by a person, from a
//! handful of intents to about seventy: cells shaded by the share of the true intent's
//! examples, counts written in non-zero cells, labels on both axes.

use super::confusion::ConfusionMatrix;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What drawing into an in-memory SVG can fail with.
pub(crate) type PlotError = DrawingAreaErrorKind<std::io::Error>;

/// Longest label drawn in full; longer ones are cut with an ellipsis.
const MAX_LABEL_CHARS: usize = 32;
/// Rough width of a character in a sans-serif font, in ems, to reserve label space.
const CHAR_EM: f64 = 0.56;
const GRID_TARGET_PX: usize = 960;
const TITLE_SPACE: i32 = 70;
const AXIS_TITLE_SPACE: i32 = 36;
const COLOUR_BAR_SPACE: i32 = 130;
const GRID_LINE: RGBColor = RGBColor(214, 214, 214);
const DIAGONAL_LINE: RGBColor = RGBColor(90, 90, 90);
const INK: RGBColor = RGBColor(33, 33, 33);

/// Pixel sizes derived from the number and length of labels.
struct Geometry {
    cell: i32,
    label_font: f64,
    count_font: f64,
    /// Space for the labels along each axis.
    label_space: i32,
    left: i32,
    top: i32,
    width: u32,
    height: u32,
}

impl Geometry {
    fn new(labels: &[String]) -> Self {
        let n = labels.len().max(1);
        // Cells shrink as labels grow in number, within readable bounds.
        let cell = (GRID_TARGET_PX / n).clamp(20, 64) as i32;
        let label_font = (f64::from(cell) * 0.55).clamp(11.0, 15.0);
        let count_font = (f64::from(cell) * 0.42).clamp(9.0, 16.0);
        let longest = labels
            .iter()
            .map(|l| l.chars().count().min(MAX_LABEL_CHARS))
            .max()
            .unwrap_or(0);
        let label_space = (longest as f64 * label_font * CHAR_EM).ceil() as i32 + 12;
        let grid = cell * n as i32;
        let left = AXIS_TITLE_SPACE + label_space;
        let width = (left + grid + COLOUR_BAR_SPACE).max(640);
        let height = TITLE_SPACE + grid + label_space + AXIS_TITLE_SPACE;
        Self {
            cell,
            label_font,
            count_font,
            label_space,
            left,
            top: TITLE_SPACE,
            width: width as u32,
            height: height as u32,
        }
    }

    fn grid(&self, n: usize) -> i32 {
        self.cell * n as i32
    }

    /// Top-left corner of cell (row, column).
    fn cell_origin(&self, row: usize, column: usize) -> (i32, i32) {
        (
            self.left + self.cell * column as i32,
            self.top + self.cell * row as i32,
        )
    }
}

/// Renders the matrix with `title` above it.
pub(crate) fn confusion_svg(matrix: &ConfusionMatrix, title: &str) -> Result<String, PlotError> {
    let geo = Geometry::new(&matrix.labels);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (geo.width, geo.height)).into_drawing_area();
        root.fill(&WHITE)?;
        draw_titles(&root, &geo, matrix.labels.len(), title)?;
        draw_cells(&root, &geo, matrix)?;
        draw_labels(&root, &geo, &matrix.labels)?;
        draw_colour_bar(&root, &geo, matrix.labels.len())?;
        root.present()?;
    }
    Ok(svg)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// A sans-serif font of `px` pixels (plotters writes sizes divided by 1.24 into SVG).
fn font(px: f64, colour: &RGBColor, h: HPos) -> TextStyle<'static> {
    styled_font(px, FontStyle::Normal, colour, h)
}

fn bold_font(px: f64, colour: &RGBColor, h: HPos) -> TextStyle<'static> {
    styled_font(px, FontStyle::Bold, colour, h)
}

fn styled_font(px: f64, style: FontStyle, colour: &RGBColor, h: HPos) -> TextStyle<'static> {
    ("sans-serif", px * 1.24, style)
        .into_font()
        .color(colour)
        .pos(Pos::new(h, VPos::Center))
}

fn draw_titles(root: &Area, geo: &Geometry, n: usize, title: &str) -> Result<(), PlotError> {
    let centre = geo.width as i32 / 2;
    root.draw(&Text::new(
        title.to_owned(),
        (centre, 24),
        bold_font(18.0, &INK, HPos::Center),
    ))?;
    root.draw(&Text::new(
        "rows: true intent · columns: predicted intent · shade: share of the row's examples",
        (centre, 48),
        font(12.0, &DIAGONAL_LINE, HPos::Center),
    ))?;
    let grid = geo.grid(n);
    let bottom = geo.top + grid + geo.label_space + AXIS_TITLE_SPACE / 2;
    root.draw(&Text::new(
        "Predicted intent",
        (geo.left + grid / 2, bottom),
        bold_font(14.0, &INK, HPos::Center),
    ))?;
    root.draw(&Text::new(
        "True intent",
        (AXIS_TITLE_SPACE / 2, geo.top + grid / 2),
        bold_font(14.0, &INK, HPos::Center).transform(FontTransform::Rotate270),
    ))
}

fn draw_cells(root: &Area, geo: &Geometry, matrix: &ConfusionMatrix) -> Result<(), PlotError> {
    for (r, row) in matrix.counts.iter().enumerate() {
        let total = matrix.row_sum(r);
        for (c, &count) in row.iter().enumerate() {
            let (x, y) = geo.cell_origin(r, c);
            let corner = (x + geo.cell, y + geo.cell);
            let share = if total == 0 {
                0.0
            } else {
                count as f64 / total as f64
            };
            // Any non-zero count gets a visible tint, however small its share.
            let shade = if count == 0 { 0.0 } else { share.max(0.08) };
            root.draw(&Rectangle::new([(x, y), corner], blues(shade).filled()))?;
            let edge = if r == c { DIAGONAL_LINE } else { GRID_LINE };
            root.draw(&Rectangle::new([(x, y), corner], edge.stroke_width(1)))?;
            if count > 0 {
                let ink = if shade > 0.55 { WHITE } else { INK };
                root.draw(&Text::new(
                    count.to_string(),
                    (x + geo.cell / 2, y + geo.cell / 2),
                    font(geo.count_font, &ink, HPos::Center),
                ))?;
            }
        }
    }
    Ok(())
}

fn draw_labels(root: &Area, geo: &Geometry, labels: &[String]) -> Result<(), PlotError> {
    let bottom = geo.top + geo.grid(labels.len());
    for (i, label) in labels.iter().enumerate() {
        let text = shorten(label);
        let middle = geo.cell * i as i32 + geo.cell / 2;
        root.draw(&Text::new(
            text.clone(),
            (geo.left - 6, geo.top + middle),
            font(geo.label_font, &INK, HPos::Right),
        ))?;
        // Rotated a quarter turn: the label reads upwards and ends just under its column.
        root.draw(&Text::new(
            text,
            (geo.left + middle, bottom + 6),
            font(geo.label_font, &INK, HPos::Right).transform(FontTransform::Rotate270),
        ))?;
    }
    Ok(())
}

fn draw_colour_bar(root: &Area, geo: &Geometry, n: usize) -> Result<(), PlotError> {
    const STEPS: i32 = 50;
    let x = geo.left + geo.grid(n) + 24;
    let height = geo.grid(n).clamp(120, 320);
    let step = f64::from(height) / f64::from(STEPS);
    for s in 0..STEPS {
        let y0 = geo.top + (f64::from(s) * step) as i32;
        let y1 = geo.top + (f64::from(s + 1) * step).ceil() as i32;
        let shade = 1.0 - f64::from(s) / f64::from(STEPS - 1);
        root.draw(&Rectangle::new(
            [(x, y0), (x + 16, y1)],
            blues(shade).filled(),
        ))?;
    }
    root.draw(&Rectangle::new(
        [(x, geo.top), (x + 16, geo.top + height)],
        GRID_LINE.stroke_width(1),
    ))?;
    for (share, label) in [(1.0, "100%"), (0.5, "50%"), (0.0, "0%")] {
        let y = geo.top + ((1.0 - share) * f64::from(height)) as i32;
        root.draw(&Text::new(label, (x + 22, y), font(11.0, &INK, HPos::Left)))?;
    }
    Ok(())
}

/// Matplotlib's "Blues" ramp through three stops; `t` in [0, 1].
fn blues(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 3] = [(247., 251., 255.), (107., 174., 214.), (8., 48., 107.)];
    let t = t.clamp(0.0, 1.0) * 2.0;
    let (a, b, f) = if t <= 1.0 {
        (STOPS[0], STOPS[1], t)
    } else {
        (STOPS[1], STOPS[2], t - 1.0)
    };
    let mix = |p: f64, q: f64| (p + (q - p) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        label.to_owned()
    } else {
        let head: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(n: usize) -> ConfusionMatrix {
        let labels: Vec<String> = (0..n).map(|i| format!("intent_number_{i:02}")).collect();
        let pairs: Vec<(&str, &str)> = (0..n * 4)
            .map(|k| {
                let gold = k % n;
                // Every fourth example of an intent goes to its neighbour.
                let predicted = if k / n == 3 { (gold + 1) % n } else { gold };
                (labels[gold].as_str(), labels[predicted].as_str())
            })
            .collect();
        ConfusionMatrix::from_pairs(&pairs)
    }

    #[test]
    fn svg_names_every_label_on_both_axes() {
        for n in [5, 30, 70] {
            let m = matrix(n);
            let svg = confusion_svg(&m, "Intent confusion matrix").unwrap_or_default();
            assert!(svg.starts_with("<svg"));
            // plotters writes each text element's content on a line of its own.
            let lines = |text: &str| svg.lines().filter(|l| *l == text).count();
            for label in &m.labels {
                assert_eq!(lines(label), 2, "{label} with {n} labels");
            }
            assert!(lines("3") > 0 && lines("1") > 0);
        }
    }

    #[test]
    fn size_follows_label_count_within_bounds() {
        let small = Geometry::new(&matrix(5).labels);
        let large = Geometry::new(&matrix(70).labels);
        assert_eq!((small.cell, large.cell), (64, 20));
        assert!(large.width > small.width && large.height > small.height);
    }

    #[test]
    fn long_labels_are_shortened_and_colours_ramp() {
        assert_eq!(shorten(&"x".repeat(40)).chars().count(), MAX_LABEL_CHARS);
        assert_eq!(shorten("greet"), "greet");
        assert_eq!(blues(0.0), RGBColor(247, 251, 255));
        assert_eq!(blues(1.0), RGBColor(8, 48, 107));
    }
}
