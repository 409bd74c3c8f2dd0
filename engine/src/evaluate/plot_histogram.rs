//! Rasa's intent confidence histogram: how confident right and wrong predictions were,
//! side by side in twenty bins of 0.05.

use super::plot_confusion::PlotError;
use plotters::prelude::*;

const BINS: usize = 20;
/// Rasa's colours: teal for hits, wine for misses.
const HITS: RGBColor = RGBColor(0, 146, 146);
const MISSES: RGBColor = RGBColor(146, 0, 0);

/// Renders the histogram of `hits` and `misses` confidences.
pub(crate) fn histogram_svg(hits: &[f32], misses: &[f32]) -> Result<String, PlotError> {
    let (hit_bins, miss_bins) = (bin(hits), bin(misses));
    let highest = hit_bins
        .iter()
        .chain(&miss_bins)
        .copied()
        .max()
        .unwrap_or(0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 560)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Intent prediction confidence distribution",
                ("sans-serif", 22).into_font(),
            )
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..1f64, 0usize..(highest + highest / 10 + 1))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(11)
            .x_label_formatter(&|x| format!("{x:.1}"))
            .label_style(("sans-serif", 17))
            .axis_desc_style(("sans-serif", 19))
            .x_desc("Confidence")
            .y_desc("Number of examples")
            .draw()?;
        let width = 1.0 / BINS as f64;
        for (name, bins, total, colour, side) in [
            ("hits", hit_bins, hits.len(), HITS, 0.0),
            ("misses", miss_bins, misses.len(), MISSES, 1.0),
        ] {
            let bars = bins.into_iter().enumerate().filter(|&(_, n)| n > 0);
            chart
                .draw_series(bars.map(|(b, n)| {
                    // Each bin holds two bars: hits on the left half, misses on the right.
                    let x0 = (b as f64 + 0.05 + side * 0.45) * width;
                    Rectangle::new([(x0, 0), (x0 + 0.45 * width, n)], colour.filled())
                }))?
                .label(format!("{name} ({total})"))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(("sans-serif", 18))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}

/// Counts per bin; out-of-range confidences go to the end bins.
fn bin(confidences: &[f32]) -> [usize; BINS] {
    let mut bins = [0; BINS];
    for &c in confidences {
        // `as usize` saturates (NaN → 0), so the index is always in range after `min`.
        let b = ((c.clamp(0.0, 1.0) * BINS as f32) as usize).min(BINS - 1);
        bins[b] += 1;
    }
    bins
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidences_fall_into_twenty_bins() {
        let bins = bin(&[0.0, 0.04, 0.05, 0.99, 1.0, 1.5, -1.0]);
        assert_eq!((bins[0], bins[1], bins[19]), (3, 1, 3));
    }

    #[test]
    fn svg_has_title_and_legend() {
        let svg = histogram_svg(&[0.9, 0.95], &[0.4]).unwrap_or_default();
        assert!(svg.contains("Intent prediction confidence distribution"));
        assert!(svg.contains("hits (2)") && svg.contains("misses (1)"));
        assert!(histogram_svg(&[], &[]).is_ok());
    }
}
