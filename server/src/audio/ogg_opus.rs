//! OGG/Opus (RFC 7845), the format of WhatsApp voice notes, decoded to 16 kHz mono.

use super::opus::OpusDecoder;
use super::{Pcm, SAMPLE_RATE};
use std::io::Cursor;

/// Longest audio decoded: bounds memory and the transcription bill (a WAV of it stays
/// under the 25 MB OpenAI's endpoint takes).
pub const MAX_SECONDS: u32 = 10 * 60;

/// Opus timestamps (granule positions, pre-skip) count 48 kHz samples, whatever the rate.
const OPUS_CLOCK: u64 = 48_000;
/// The longest Opus frame, 120 ms, in samples at [`SAMPLE_RATE`].
const MAX_FRAME: usize = SAMPLE_RATE as usize * 120 / 1000;

/// Why a file is not a voice note Bela can decode.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The OGG container is broken or truncated.
    #[error("not a readable OGG file: {0}")]
    Ogg(String),
    /// The first packet is not an `OpusHead` (another codec, e.g. Vorbis).
    #[error("not an Opus stream")]
    NotOpus,
    /// More than two channels (Opus multistream), which voice notes never are.
    #[error("unsupported Opus channel layout: {channels} channels, mapping family {family}")]
    Layout {
        /// Channels in the stream.
        channels: u8,
        /// The channel mapping family.
        family: u8,
    },
    /// libopus refused a packet.
    #[error("Opus decoding failed: {0}")]
    Opus(String),
    /// No audio at all.
    #[error("the audio is empty")]
    Empty,
    /// Longer than [`MAX_SECONDS`].
    #[error("the audio is longer than {MAX_SECONDS} s")]
    TooLong,
}

/// The `OpusHead` fields decoding needs.
struct Head {
    /// 48 kHz samples of encoder delay to drop from the start.
    pre_skip: u64,
}

/// Decodes an OGG/Opus file to 16 kHz mono PCM (stereo is downmixed), honouring the
/// stream's pre-skip and end trimming.
pub fn decode_ogg_opus(bytes: &[u8]) -> Result<Pcm, DecodeError> {
    let mut reader = ogg::PacketReader::new(Cursor::new(bytes));
    let mut next = || {
        reader
            .read_packet()
            .map_err(|e| DecodeError::Ogg(e.to_string()))
    };
    let head = next()?.ok_or(DecodeError::Empty)?;
    let head = parse_head(&head.data)?;
    // The comment header (`OpusTags`) carries nothing decoding needs.
    next()?.ok_or(DecodeError::Empty)?;

    let mut decoder = OpusDecoder::mono(SAMPLE_RATE).map_err(DecodeError::Opus)?;
    let mut samples = Vec::new();
    let mut frame = vec![0i16; MAX_FRAME];
    let mut end_granule = None;
    let limit = (MAX_SECONDS * SAMPLE_RATE) as usize;
    while let Some(packet) = next()? {
        let n = decoder
            .decode(&packet.data, &mut frame)
            .map_err(DecodeError::Opus)?;
        samples.extend_from_slice(&frame[..n]);
        if samples.len() > limit {
            return Err(DecodeError::TooLong);
        }
        if packet.last_in_stream() || packet.last_in_page() {
            end_granule = Some(packet.absgp_page());
        }
    }
    let to_rate = |opus_samples: u64| opus_samples * u64::from(SAMPLE_RATE) / OPUS_CLOCK;
    // The last granule position says where the audio really ends (the last frame is
    // padded); what precedes the pre-skip is encoder delay.
    if let Some(end) = end_granule {
        let keep = usize::try_from(to_rate(end)).unwrap_or(usize::MAX);
        samples.truncate(keep);
    }
    let skip = usize::try_from(to_rate(head.pre_skip)).unwrap_or(usize::MAX);
    samples.drain(..skip.min(samples.len()));
    if samples.is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Pcm { samples })
}

/// Reads the identification header (RFC 7845 §5.1).
fn parse_head(data: &[u8]) -> Result<Head, DecodeError> {
    if data.len() < 19 || &data[..8] != b"OpusHead" {
        return Err(DecodeError::NotOpus);
    }
    let (channels, family) = (data[9], data[18]);
    // Families 0 and 1 with one or two channels are a single plain Opus stream.
    if channels == 0 || channels > 2 || family > 1 {
        return Err(DecodeError::Layout { channels, family });
    }
    Ok(Head {
        pre_skip: u64::from(u16::from_le_bytes([data[10], data[11]])),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::test_support::{ogg_opus, tone};

    #[test]
    fn a_voice_note_decodes_to_16_khz_mono_of_its_length() {
        let pcm = decode_ogg_opus(&ogg_opus(&tone(1.5, 440.0))).expect("decodes");
        assert_eq!(
            pcm.samples.len(),
            24_000,
            "1.5 s at 16 kHz, padding trimmed"
        );
        // A tone, not silence: the encoder kept the signal.
        let rms = (pcm.to_f32().iter().map(|s| s * s).sum::<f32>() / 24_000.0).sqrt();
        assert!(rms > 0.1, "rms {rms}");
    }

    #[test]
    fn broken_files_are_errors_not_panics() {
        assert!(decode_ogg_opus(b"not audio at all, just some text").is_err());
        assert!(decode_ogg_opus(b"").is_err());
        let mut truncated = ogg_opus(&tone(1.0, 440.0));
        truncated.truncate(truncated.len() / 2);
        // Cut mid-page: an error, or the audio up to the cut, never a panic.
        let _ = decode_ogg_opus(&truncated);
    }
}
