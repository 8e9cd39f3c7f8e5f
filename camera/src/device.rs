//! The real camera: V4L2 through nokhwa, driven from our own capture thread (not nokhwa's
//! `CallbackCamera`, which holds the camera lock while blocking and swallows errors).

use nokhwa::{
    Camera,
    utils::{ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType},
};
use protocol::config::PixelFormat;

use crate::{
    negotiate::{CameraMode, FormatRequest},
    source::{CameraError, FrameSource, RawFrame},
};

const ALL_FRAME_FORMATS: [FrameFormat; 6] = [
    FrameFormat::MJPEG,
    FrameFormat::YUYV,
    FrameFormat::NV12,
    FrameFormat::RAWRGB,
    FrameFormat::GRAY,
    FrameFormat::RAWBGR,
];

fn pixel_format(f: FrameFormat) -> Option<PixelFormat> {
    match f {
        FrameFormat::MJPEG => Some(PixelFormat::Mjpeg),
        FrameFormat::YUYV => Some(PixelFormat::Yuyv),
        FrameFormat::NV12 => Some(PixelFormat::Nv12),
        FrameFormat::RAWRGB => Some(PixelFormat::Rgb),
        FrameFormat::GRAY | FrameFormat::RAWBGR => None,
    }
}

fn frame_format(f: PixelFormat) -> FrameFormat {
    match f {
        PixelFormat::Mjpeg => FrameFormat::MJPEG,
        PixelFormat::Yuyv => FrameFormat::YUYV,
        PixelFormat::Nv12 => FrameFormat::NV12,
        PixelFormat::Rgb => FrameFormat::RAWRGB,
    }
}

/// Which V4L2 device to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraLocator {
    /// `/dev/video{n}`.
    Index(u32),
    /// A stable name (a udev symlink) to follow to its `/dev/videoN` at every open.
    Path(std::path::PathBuf),
}

impl CameraLocator {
    /// From `camera.device_path` (when set) or `camera.device_index`.
    pub fn from_config(section: &protocol::config::CameraSection) -> Self {
        if section.device_path.is_empty() {
            Self::Index(section.device_index)
        } else {
            Self::Path(section.device_path.clone().into())
        }
    }

    /// The `/dev/videoN` number it names now.
    pub fn resolve(&self) -> Result<u32, String> {
        match self {
            Self::Index(index) => Ok(*index),
            Self::Path(path) => {
                let target = std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
                target
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_prefix("video"))
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| format!("{} is {}, not a /dev/videoN device", path.display(), target.display()))
            }
        }
    }
}

impl std::fmt::Display for CameraLocator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Index(index) => write!(f, "/dev/video{index}"),
            Self::Path(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A V4L2 camera.
pub struct DeviceSource {
    locator: CameraLocator,
    request: FormatRequest,
    camera: Option<(Camera, CameraMode)>,
}

impl DeviceSource {
    pub fn new(locator: CameraLocator, request: FormatRequest) -> Self {
        Self { locator, request, camera: None }
    }

    fn device(&self) -> String {
        self.locator.to_string()
    }
}

fn open_camera(index: u32) -> Result<Camera, String> {
    let any = RequestedFormat::with_formats(RequestedFormatType::AbsoluteHighestFrameRate, &ALL_FRAME_FORMATS);
    Camera::with_backend(CameraIndex::Index(index), any, ApiBackend::Auto).map_err(|e| e.to_string())
}

fn modes_of(camera: &mut Camera) -> Result<Vec<CameraMode>, String> {
    let formats = camera.compatible_camera_formats().map_err(|e| e.to_string())?;
    Ok(formats
        .iter()
        .filter_map(|f| {
            Some(CameraMode {
                format: pixel_format(f.format())?,
                width: f.width(),
                height: f.height(),
                fps: f.frame_rate(),
            })
        })
        .collect())
}

impl FrameSource for DeviceSource {
    fn name(&self) -> String {
        self.device()
    }

    fn open(&mut self) -> Result<CameraMode, CameraError> {
        self.close();
        let device = self.device();
        let open_error = |reason: String| CameraError::Open { device: device.clone(), reason };
        let index = self.locator.resolve().map_err(open_error)?;
        let mut camera = open_camera(index).map_err(open_error)?;
        let offered = modes_of(&mut camera).map_err(open_error)?;
        let mode = self.request.negotiate(&offered).ok_or_else(|| CameraError::NoUsableFormat {
            device: device.clone(),
            wanted: format!("{:?}", self.request.formats),
            offered: offered.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        })?;
        let format = CameraFormat::new_from(mode.width, mode.height, frame_format(mode.format), mode.fps);
        let fourcc = [format.format()];
        let exact = RequestedFormat::with_formats(RequestedFormatType::Exact(format), &fourcc);
        camera.set_camera_requset(exact).map_err(|e| open_error(e.to_string()))?;
        camera.open_stream().map_err(|e| open_error(e.to_string()))?;
        self.camera = Some((camera, mode));
        Ok(mode)
    }

    fn read(&mut self) -> Result<RawFrame<'_>, CameraError> {
        let (camera, mode) = self.camera.as_mut().ok_or(CameraError::Read("camera is not open".into()))?;
        let data = camera.frame_raw().map_err(|e| CameraError::Read(e.to_string()))?;
        let std::borrow::Cow::Borrowed(data) = data else {
            // The V4L2 backend hands out its mmap buffer; an owned copy would be a new backend.
            return Err(CameraError::Read("backend returned an owned frame".into()));
        };
        Ok(RawFrame { format: mode.format, width: mode.width, height: mode.height, data })
    }

    fn close(&mut self) {
        if let Some((mut camera, _)) = self.camera.take() {
            let _ = camera.stop_stream();
        }
    }
}

/// One camera and the modes it offers, for `kiosk --list-cameras`.
#[derive(Debug, Clone)]
pub struct CameraListing {
    pub index: String,
    pub name: String,
    pub description: String,
    /// Modes in formats the pipeline converts, or why they could not be read.
    pub modes: Result<Vec<CameraMode>, String>,
}

/// Every camera the system reports. An empty list means none are connected.
pub fn list_cameras() -> Result<Vec<CameraListing>, String> {
    let infos = nokhwa::query(ApiBackend::Auto).map_err(|e| e.to_string())?;
    Ok(infos
        .into_iter()
        .map(|info| {
            let modes = match info.index() {
                CameraIndex::Index(i) => open_camera(*i).and_then(|mut c| modes_of(&mut c)),
                CameraIndex::String(s) => Err(format!("unsupported camera index {s}")),
            };
            CameraListing {
                index: info.index().to_string(),
                name: info.human_name(),
                description: info.description().to_string(),
                modes,
            }
        })
        .collect())
}

/// Whether the system reports a camera at `/dev/video{index}`.
pub fn camera_present(index: u32) -> bool {
    nokhwa::query(ApiBackend::Auto)
        .map(|infos| infos.iter().any(|i| matches!(i.index(), CameraIndex::Index(n) if *n == index)))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stable_name_is_followed_to_its_video_device() {
        let dir = std::env::temp_dir().join(format!("mirror-camera-link-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.join("video7"), b"").unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(dir.join("video7"), dir.join("mirror-camera")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(dir.join("video7"), dir.join("other")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(CameraLocator::Path(dir.join("mirror-camera")).resolve(), Ok(7));
        assert_eq!(CameraLocator::Index(3).resolve(), Ok(3));
        let missing = CameraLocator::Path(dir.join("gone")).resolve();
        assert!(missing.is_err_and(|e| e.contains("gone")));
        std::fs::write(dir.join("notes"), b"").unwrap_or_else(|e| panic!("{e}"));
        let not_video = CameraLocator::Path(dir.join("notes")).resolve();
        assert!(not_video.is_err_and(|e| e.contains("not a /dev/videoN device")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
