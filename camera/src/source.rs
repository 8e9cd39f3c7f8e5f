//! The frame-source abstraction every camera implementation fulfils, and the errors it reports.

use protocol::config::PixelFormat;

use crate::negotiate::CameraMode;

/// A frame as the source delivered it: raw bytes in the negotiated pixel format.
#[derive(Debug, Clone, Copy)]
pub struct RawFrame<'a> {
    pub format: PixelFormat,
    pub width: u32,
    pub height: u32,
    pub data: &'a [u8],
}

/// Something that yields camera frames: a V4L2 camera, the synthetic scene, or a wrapper.
/// Sources need not be `Send` (nokhwa's camera is not): the capture thread builds its source
/// itself from a [`SourceFactory`].
pub trait FrameSource {
    /// Human-readable name for logs and the status screen.
    fn name(&self) -> String;
    /// Opens the device and negotiates a mode. Called again after [`FrameSource::close`].
    fn open(&mut self) -> Result<CameraMode, CameraError>;
    /// Blocks until the next frame. Only called between a successful `open` and `close`.
    fn read(&mut self) -> Result<RawFrame<'_>, CameraError>;
    /// Releases the device. Safe to call when not open.
    fn close(&mut self);
}

/// Builds a source on the capture thread.
pub type SourceFactory = Box<dyn FnOnce() -> Box<dyn FrameSource> + Send>;

/// What went wrong with a camera.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CameraError {
    #[error("cannot open {device}: {reason}")]
    Open { device: String, reason: String },
    #[error("{device} offers none of the configured formats ({wanted}); it offers: {offered}")]
    NoUsableFormat { device: String, wanted: String, offered: String },
    #[error("frame read failed: {0}")]
    Read(String),
    #[error("camera disconnected")]
    Disconnected,
    #[error("frame dropped")]
    Dropped,
    #[error("cannot convert a {format} frame: {reason}")]
    Convert { format: PixelFormat, reason: String },
}

/// A boxed source is a source, so wrappers such as the fault injector take either.
impl<S: FrameSource + ?Sized> FrameSource for Box<S> {
    fn name(&self) -> String {
        (**self).name()
    }

    fn open(&mut self) -> Result<CameraMode, CameraError> {
        (**self).open()
    }

    fn read(&mut self) -> Result<RawFrame<'_>, CameraError> {
        (**self).read()
    }

    fn close(&mut self) {
        (**self).close()
    }
}
