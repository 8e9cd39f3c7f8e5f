//! The camera pipeline, without Bevy.
//!
//! ```text
//! FrameSource (nokhwa V4L2 │ synthetic scene │ fault injector around either)
//!     │ raw bytes in the negotiated format (MJPEG, YUYV, NV12, RGB)
//!     ▼
//! capture thread ── convert::to_rgba ──► FrameSlot (latest frame wins) ──► consumers
//!     └─ counts consecutive errors, reports CameraStatus, reopens with backoff
//! ```
//! Every source, the synthetic one included, hands over raw bytes in a camera pixel format, so a
//! test frame takes exactly the path a real camera frame takes.

pub mod capture;
pub mod clip;
pub mod convert;
pub mod crop;
pub mod device;
pub mod faults;
pub mod negotiate;
pub mod share_encoder;
pub mod slot;
pub mod source;
pub mod synthetic;

pub use capture::{CameraShared, CameraStatus, CaptureHandle, CaptureSettings};
pub use negotiate::{CameraMode, FormatRequest};
pub use slot::{Frame, FrameSlot};
pub use source::{CameraError, FrameSource, RawFrame, SourceFactory};
