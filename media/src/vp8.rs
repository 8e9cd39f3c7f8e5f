//! VP8 with libvpx (Debian's `libvpx-dev`, royalty-free): RGBA frames in, one compressed frame
//! out per frame in, set up for live video to phones: one pass, real-time deadline, constant
//! bitrate at the cap, no lag, error resilient (a lost packet spoils less), a keyframe every
//! `keyframe_interval` frames and whenever a viewer asks (PLI/FIR).

use std::{ffi::CStr, mem::MaybeUninit, os::raw::c_int, ptr};

use vpx_sys::{
    VPX_DL_REALTIME, VPX_EFLAG_FORCE_KF, VPX_ENCODER_ABI_VERSION, VPX_ERROR_RESILIENT_DEFAULT, VPX_FRAME_IS_KEY,
    vp8e_enc_control_id, vpx_codec_control_, vpx_codec_ctx_t, vpx_codec_cx_pkt_kind, vpx_codec_destroy,
    vpx_codec_enc_cfg_t, vpx_codec_enc_config_default, vpx_codec_enc_init_ver, vpx_codec_encode, vpx_codec_err_t,
    vpx_codec_error, vpx_codec_get_cx_data, vpx_codec_vp8_cx, vpx_image_t, vpx_img_fmt, vpx_img_wrap, vpx_kf_mode,
    vpx_rc_mode,
};
use yuv::{BufferStoreMut, YuvConversionMode, YuvPlanarImageMut, YuvRange, YuvStandardMatrix};

use crate::MediaError;

/// What the encoder is set to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Vp8Settings {
    /// Even, e.g. 406.
    pub width: u32,
    /// Even, e.g. 720.
    pub height: u32,
    pub fps: u32,
    /// The cap, bits per second.
    pub bitrate_bps: u32,
    /// Frames between keyframes (2 s at `fps`).
    pub keyframe_interval: u32,
}

/// One compressed frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vp8Frame {
    pub data: Vec<u8>,
    pub keyframe: bool,
}

/// A libvpx VP8 encoder and the I420 buffer its input is converted into.
pub struct Vp8Encoder {
    context: vpx_codec_ctx_t,
    settings: Vp8Settings,
    i420: Vec<u8>,
    pts: i64,
}

// libvpx's context is used from one thread at a time (the publisher's).
unsafe impl Send for Vp8Encoder {}

impl std::fmt::Debug for Vp8Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vp8Encoder").field("settings", &self.settings).field("pts", &self.pts).finish()
    }
}

fn failed(context: &mut vpx_codec_ctx_t, what: &str, code: vpx_codec_err_t) -> MediaError {
    // SAFETY: `context` was initialised (or zeroed, for which libvpx reports a generic message).
    let message = unsafe { vpx_codec_error(context) };
    let message = if message.is_null() {
        String::new()
    } else {
        // SAFETY: libvpx returns a NUL-terminated static string.
        unsafe { CStr::from_ptr(message) }.to_string_lossy().into_owned()
    };
    MediaError::Encoder(format!("{what}: {message} ({code:?})"))
}

impl Vp8Encoder {
    pub fn new(settings: Vp8Settings) -> Result<Self, MediaError> {
        let Vp8Settings { width, height, fps, bitrate_bps, keyframe_interval } = settings;
        if width == 0 || height == 0 || width % 2 != 0 || height % 2 != 0 || width > 4096 || height > 4096 {
            return Err(MediaError::Encoder(format!("{width}×{height}: VP8 here takes even sizes up to 4096")));
        }
        // SAFETY: the interface is libvpx's static VP8 encoder.
        let interface = unsafe { vpx_codec_vp8_cx() };
        let mut config = MaybeUninit::<vpx_codec_enc_cfg_t>::zeroed();
        // SAFETY: `config` is written by libvpx before it is read.
        let code = unsafe { vpx_codec_enc_config_default(interface, config.as_mut_ptr(), 0) };
        let mut context = unsafe { MaybeUninit::<vpx_codec_ctx_t>::zeroed().assume_init() };
        if code != vpx_codec_err_t::VPX_CODEC_OK {
            return Err(failed(&mut context, "default configuration", code));
        }
        // SAFETY: initialised by vpx_codec_enc_config_default.
        let mut config = unsafe { config.assume_init() };
        config.g_w = width;
        config.g_h = height;
        config.g_timebase.num = 1;
        config.g_timebase.den = fps.max(1) as c_int;
        config.g_threads = 2;
        config.g_lag_in_frames = 0;
        config.g_error_resilient = VPX_ERROR_RESILIENT_DEFAULT;
        config.rc_end_usage = vpx_rc_mode::VPX_CBR;
        config.rc_target_bitrate = (bitrate_bps / 1000).max(50);
        config.rc_min_quantizer = 4;
        config.rc_max_quantizer = 56;
        config.rc_undershoot_pct = 95;
        config.rc_overshoot_pct = 5;
        config.rc_buf_sz = 1000;
        config.rc_buf_initial_sz = 500;
        config.rc_buf_optimal_sz = 600;
        config.rc_dropframe_thresh = 0;
        config.kf_mode = vpx_kf_mode::VPX_KF_AUTO;
        config.kf_max_dist = keyframe_interval.max(1);
        // SAFETY: `context` is zeroed, `config` valid; the ABI version is the headers' own.
        let code =
            unsafe { vpx_codec_enc_init_ver(&mut context, interface, &config, 0, VPX_ENCODER_ABI_VERSION as c_int) };
        if code != vpx_codec_err_t::VPX_CODEC_OK {
            return Err(failed(&mut context, "initialising VP8", code));
        }
        // Real-time speed: -6 trades a little quality for a lot of CPU (libvpx's WebRTC setting).
        // SAFETY: a valid control id with an int argument.
        let code =
            unsafe { vpx_codec_control_(&mut context, vp8e_enc_control_id::VP8E_SET_CPUUSED as c_int, -6 as c_int) };
        let mut encoder = Self { context, settings, i420: vec![0; (width * height * 3 / 2) as usize], pts: 0 };
        if code != vpx_codec_err_t::VPX_CODEC_OK {
            return Err(failed(&mut encoder.context, "setting the speed", code));
        }
        Ok(encoder)
    }

    pub fn settings(&self) -> Vp8Settings {
        self.settings
    }

    /// Encodes one RGBA frame (`stride` bytes a row, the encoder's size); a keyframe when
    /// `keyframe` is set (a viewer asked) or the interval says so. `None` when libvpx held the
    /// frame back (it does not with these settings, but may).
    pub fn encode_rgba(&mut self, rgba: &[u8], stride: u32, keyframe: bool) -> Result<Option<Vp8Frame>, MediaError> {
        let Vp8Settings { width, height, .. } = self.settings;
        if stride < width * 4 || rgba.len() < (stride * (height - 1) + width * 4) as usize {
            return Err(MediaError::Encoder(format!("a {width}×{height} RGBA frame needs {stride}×{height} bytes")));
        }
        let luma = (width * height) as usize;
        let (y, chroma) = self.i420.split_at_mut(luma);
        let (u, v) = chroma.split_at_mut(luma / 4);
        let mut planar = YuvPlanarImageMut {
            y_plane: BufferStoreMut::Borrowed(y),
            y_stride: width,
            u_plane: BufferStoreMut::Borrowed(u),
            u_stride: width / 2,
            v_plane: BufferStoreMut::Borrowed(v),
            v_stride: width / 2,
            width,
            height,
        };
        yuv::rgba_to_yuv420(
            &mut planar,
            rgba,
            stride,
            YuvRange::Limited,
            YuvStandardMatrix::Bt601,
            YuvConversionMode::Balanced,
        )
        .map_err(|e| MediaError::Encoder(format!("RGBA to I420: {e}")))?;
        let mut image = MaybeUninit::<vpx_image_t>::zeroed();
        // SAFETY: `i420` holds width×height×1.5 bytes, laid out as I420 with alignment 1, and
        // outlives the encode call below.
        let wrapped = unsafe {
            vpx_img_wrap(image.as_mut_ptr(), vpx_img_fmt::VPX_IMG_FMT_I420, width, height, 1, self.i420.as_mut_ptr())
        };
        if wrapped.is_null() {
            return Err(MediaError::Encoder("wrapping the I420 frame".into()));
        }
        let flags = if keyframe { VPX_EFLAG_FORCE_KF as i64 } else { 0 };
        // SAFETY: `wrapped` points into `image`, initialised by vpx_img_wrap.
        let code =
            unsafe { vpx_codec_encode(&mut self.context, wrapped, self.pts, 1, flags as _, VPX_DL_REALTIME as _) };
        if code != vpx_codec_err_t::VPX_CODEC_OK {
            return Err(failed(&mut self.context, "encoding", code));
        }
        self.pts += 1;
        let mut iterator = ptr::null();
        let mut frame: Option<Vp8Frame> = None;
        loop {
            // SAFETY: the iterator starts null and is advanced by libvpx only.
            let packet = unsafe { vpx_codec_get_cx_data(&mut self.context, &mut iterator) };
            if packet.is_null() {
                break;
            }
            // SAFETY: non-null packets point to libvpx's packet, valid until the next call.
            let packet = unsafe { &*packet };
            if packet.kind != vpx_codec_cx_pkt_kind::VPX_CODEC_CX_FRAME_PKT {
                continue;
            }
            // SAFETY: a frame packet's data is the `frame` member.
            let data = unsafe { packet.data.frame };
            // SAFETY: `buf` holds `sz` bytes of compressed data.
            let bytes = unsafe { std::slice::from_raw_parts(data.buf as *const u8, data.sz as usize) };
            let keyframe = data.flags & VPX_FRAME_IS_KEY != 0;
            match frame.as_mut() {
                Some(frame) => {
                    frame.data.extend_from_slice(bytes);
                    frame.keyframe |= keyframe;
                }
                None => frame = Some(Vp8Frame { data: bytes.to_vec(), keyframe }),
            }
        }
        Ok(frame)
    }
}

impl Drop for Vp8Encoder {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`, destroyed once.
        unsafe { vpx_codec_destroy(&mut self.context) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Vp8Settings {
        Vp8Settings { width: 406, height: 720, fps: 15, bitrate_bps: 600_000, keyframe_interval: 30 }
    }

    /// A moving gradient, so every frame differs.
    fn frame(n: u32) -> Vec<u8> {
        let (w, h) = (406, 720);
        let mut rgba = vec![255; (w * h * 4) as usize];
        for y in 0..h {
            for x in 0..w {
                let i = ((y * w + x) * 4) as usize;
                rgba[i] = ((x + n * 7) % 256) as u8;
                rgba[i + 1] = ((y + n * 3) % 256) as u8;
                rgba[i + 2] = ((x + y) % 256) as u8;
            }
        }
        rgba
    }

    #[test]
    fn the_first_frame_and_every_interval_are_keyframes_and_a_request_makes_one_at_once() {
        let mut encoder = Vp8Encoder::new(settings()).unwrap_or_else(|e| panic!("{e}"));
        let mut keyframes = Vec::new();
        let mut bytes = 0;
        for n in 0..90 {
            let asked = n == 40;
            let encoded = encoder.encode_rgba(&frame(n), 406 * 4, asked).unwrap_or_else(|e| panic!("{e}"));
            let encoded = encoded.unwrap_or_else(|| panic!("frame {n} held back"));
            bytes += encoded.data.len();
            if encoded.keyframe {
                keyframes.push(n);
            }
            // A VP8 frame tag: bit 0 of the first byte is 0 for a keyframe, whose start code follows.
            assert_eq!(encoded.data[0] & 1 == 0, encoded.keyframe, "frame {n}");
            if encoded.keyframe {
                assert_eq!(&encoded.data[3..6], &[0x9d, 0x01, 0x2a], "frame {n}: keyframe start code");
            }
        }
        assert_eq!(keyframes.first(), Some(&0));
        assert!(keyframes.contains(&40), "asked at 40: {keyframes:?}");
        assert!(keyframes.iter().any(|&k| k >= 60 && k <= 71), "one every 30 frames: {keyframes:?}");
        // 90 frames at 15 fps are 6 s; at 600 kbit/s that is ~450 kB (CBR may overshoot at start).
        assert!(bytes < 900_000, "{bytes} bytes for 6 s at 600 kbit/s");
    }

    #[test]
    fn odd_sizes_and_short_frames_are_refused_with_the_reason() {
        let odd = Vp8Encoder::new(Vp8Settings { width: 405, ..settings() });
        assert!(odd.is_err_and(|e| e.to_string().contains("even sizes")));
        let mut encoder = Vp8Encoder::new(settings()).unwrap_or_else(|e| panic!("{e}"));
        let short = encoder.encode_rgba(&[0; 100], 406 * 4, false);
        assert!(short.is_err_and(|e| e.to_string().contains("406×720")));
    }
}
