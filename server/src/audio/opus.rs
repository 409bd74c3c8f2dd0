//! A safe owner of a libopus decoder (the only unsafe code of the server: FFI calls).

use opusic_sys as ffi;
use std::ffi::{CStr, c_int};

/// A libopus decoder producing mono PCM at a given rate; freed on drop.
pub(super) struct OpusDecoder {
    raw: *mut ffi::OpusDecoder,
}

impl OpusDecoder {
    /// A decoder outputting `rate` Hz mono (libopus downmixes stereo streams itself).
    pub(super) fn mono(rate: u32) -> Result<Self, String> {
        let mut error: c_int = ffi::OPUS_OK;
        let rate = i32::try_from(rate).map_err(|_| format!("sample rate {rate}"))?;
        // SAFETY: `error` is a valid pointer for the call; the result is checked below.
        let raw = unsafe { ffi::opus_decoder_create(rate, 1, &mut error) };
        if raw.is_null() || error != ffi::OPUS_OK {
            return Err(describe(error));
        }
        Ok(Self { raw })
    }

    /// Decodes one Opus packet into `out` (room for the longest frame); the number of
    /// samples written.
    pub(super) fn decode(&mut self, packet: &[u8], out: &mut [i16]) -> Result<usize, String> {
        let len = i32::try_from(packet.len()).map_err(|_| "packet too large".to_owned())?;
        let room = c_int::try_from(out.len()).map_err(|_| "buffer too large".to_owned())?;
        // SAFETY: `raw` is a live decoder; `packet` and `out` are valid for the lengths
        // passed, and libopus writes at most `room` samples (one channel).
        let n =
            unsafe { ffi::opus_decode(self.raw, packet.as_ptr(), len, out.as_mut_ptr(), room, 0) };
        usize::try_from(n).map_err(|_| describe(n))
    }
}

impl Drop for OpusDecoder {
    fn drop(&mut self) {
        // SAFETY: `raw` came from `opus_decoder_create` and is freed once, here.
        unsafe { ffi::opus_decoder_destroy(self.raw) }
    }
}

/// libopus' message for error code `code`.
pub(super) fn describe(code: c_int) -> String {
    // SAFETY: `opus_strerror` returns a static NUL-terminated string for any code.
    let text = unsafe { CStr::from_ptr(ffi::opus_strerror(code)) };
    format!("{} ({code})", text.to_string_lossy())
}
