//! Voice notes for tests: PCM tones encoded as OGG/Opus the way WhatsApp sends them
//! (mono Opus, 20 ms frames, one logical stream).

use super::SAMPLE_RATE;
use opusic_sys as ffi;
use std::ffi::c_int;

/// 20 ms frames, as WhatsApp's encoder uses.
const FRAME: usize = SAMPLE_RATE as usize / 50;
/// Granule positions advance in 48 kHz samples per frame.
const FRAME_GRANULE: u64 = 960;
/// The encoder delay announced in `OpusHead` (libopus' usual 6.5 ms at 48 kHz).
const PRE_SKIP: u16 = 312;

/// `seconds` of a sine at `hz`, half scale, at 16 kHz.
pub fn tone(seconds: f64, hz: f64) -> Vec<i16> {
    let n = (seconds * f64::from(SAMPLE_RATE)).round() as usize;
    (0..n)
        .map(|i| {
            let t = i as f64 / f64::from(SAMPLE_RATE);
            ((2.0 * std::f64::consts::PI * hz * t).sin() * 16_000.0) as i16
        })
        .collect()
}

/// `pcm` (16 kHz mono) as an OGG/Opus file. Panics on an encoder failure (tests only).
pub fn ogg_opus(pcm: &[i16]) -> Vec<u8> {
    let serial = 0x0B_E1A;
    let mut out = ogg::PacketWriter::new(Vec::new());
    let mut head = b"OpusHead".to_vec();
    head.push(1); // version
    head.push(1); // channels
    head.extend_from_slice(&PRE_SKIP.to_le_bytes());
    head.extend_from_slice(&SAMPLE_RATE.to_le_bytes()); // input rate (informative)
    head.extend_from_slice(&0i16.to_le_bytes()); // output gain
    head.push(0); // mapping family: mono/stereo
    let mut tags = b"OpusTags".to_vec();
    let vendor = b"bela-test";
    tags.extend_from_slice(&(vendor.len() as u32).to_le_bytes());
    tags.extend_from_slice(vendor);
    tags.extend_from_slice(&0u32.to_le_bytes()); // no comments
    let end_page = ogg::PacketWriteEndInfo::EndPage;
    out.write_packet(head, serial, end_page, 0).expect("head");
    out.write_packet(tags, serial, end_page, 0).expect("tags");

    let mut error: c_int = ffi::OPUS_OK;
    // SAFETY: valid out-pointer; the result is checked.
    let encoder = unsafe {
        ffi::opus_encoder_create(
            SAMPLE_RATE as i32,
            1,
            ffi::OPUS_APPLICATION_VOIP,
            &mut error,
        )
    };
    assert!(!encoder.is_null() && error == ffi::OPUS_OK, "opus encoder");
    // The delay is flushed by one extra frame of silence, as encoders do at the end.
    let frames = pcm.len().div_ceil(FRAME) + 1;
    let mut packet = vec![0u8; 4000];
    for i in 0..frames {
        let mut frame = [0i16; FRAME];
        let start = (i * FRAME).min(pcm.len());
        let chunk = &pcm[start..((i + 1) * FRAME).min(pcm.len())];
        frame[..chunk.len()].copy_from_slice(chunk);
        // SAFETY: `frame` holds FRAME samples and `packet` its length in bytes.
        let n = unsafe {
            ffi::opus_encode(
                encoder,
                frame.as_ptr(),
                FRAME as c_int,
                packet.as_mut_ptr(),
                packet.len() as i32,
            )
        };
        assert!(n > 0, "opus_encode: {n}");
        let last = i + 1 == frames;
        // The final granule marks where the audio ends: pre-skip + the samples given.
        let granule = if last {
            u64::from(PRE_SKIP) + pcm.len() as u64 * 3
        } else {
            u64::from(PRE_SKIP) + (i as u64 + 1) * FRAME_GRANULE
        };
        let info = if last {
            ogg::PacketWriteEndInfo::EndStream
        } else {
            ogg::PacketWriteEndInfo::NormalPacket
        };
        out.write_packet(packet[..n as usize].to_vec(), serial, info, granule)
            .expect("audio packet");
    }
    // SAFETY: created above, freed once.
    unsafe { ffi::opus_encoder_destroy(encoder) };
    out.into_inner()
}
