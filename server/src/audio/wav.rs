//! 16 kHz mono PCM as a WAV file: what speech-to-text endpoints accept everywhere.

use super::{Pcm, SAMPLE_RATE};
use std::io::Cursor;

/// Writing the WAV failed (hound reports it; with an in-memory buffer it means a bug).
#[derive(Debug, thiserror::Error)]
#[error("cannot write WAV: {0}")]
pub struct WavError(#[from] hound::Error);

/// `pcm` as a 16-bit mono WAV file at [`SAMPLE_RATE`].
pub fn to_wav(pcm: &Pcm) -> Result<Vec<u8>, WavError> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut buffer = Cursor::new(Vec::with_capacity(44 + pcm.samples.len() * 2));
    let mut writer = hound::WavWriter::new(&mut buffer, spec)?;
    for &sample in &pcm.samples {
        writer.write_sample(sample)?;
    }
    writer.finalize()?;
    Ok(buffer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcm_round_trips_through_wav() {
        let pcm = Pcm {
            samples: vec![0, 1000, -1000, i16::MAX, i16::MIN],
        };
        let wav = to_wav(&pcm).expect("writes");
        let reader = hound::WavReader::new(Cursor::new(wav)).expect("reads");
        assert_eq!(reader.spec().sample_rate, 16_000);
        assert_eq!(reader.spec().channels, 1);
        let back: Vec<i16> = reader
            .into_samples::<i16>()
            .collect::<Result<_, _>>()
            .expect("samples");
        assert_eq!(back, pcm.samples);
    }
}
