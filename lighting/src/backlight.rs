//! The display's backlight through sysfs: `brightness` written as a share of `max_brightness`.
//! It dims; colour temperature is the panel's own.

use std::path::{Path, PathBuf};

use protocol::lighting::Light;

use crate::{Controller, LightError};

pub struct Backlight {
    dir: PathBuf,
    max: u32,
}

/// Where Linux lists backlights.
pub const SYSFS_BACKLIGHTS: &str = "/sys/class/backlight";

impl Backlight {
    /// `dir` is a device folder (`/sys/class/backlight/intel_backlight`); empty: the first device
    /// under [`SYSFS_BACKLIGHTS`].
    pub fn open(dir: &str) -> Result<Self, LightError> {
        let dir = if dir.is_empty() { first_device(Path::new(SYSFS_BACKLIGHTS))? } else { PathBuf::from(dir) };
        let max_file = dir.join("max_brightness");
        let text = std::fs::read_to_string(&max_file)
            .map_err(|e| LightError(format!("backlight {}: {e}", max_file.display())))?;
        let max = text.trim().parse::<u32>().ok().filter(|m| *m > 0).ok_or_else(|| {
            LightError(format!("backlight {}: {:?} is not a positive number", max_file.display(), text.trim()))
        })?;
        Ok(Self { dir, max })
    }
}

fn first_device(root: &Path) -> Result<PathBuf, LightError> {
    let mut devices: Vec<PathBuf> = std::fs::read_dir(root)
        .map_err(|e| LightError(format!("backlight: {}: {e}", root.display())))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    devices.sort();
    devices.into_iter().next().ok_or_else(|| LightError(format!("backlight: no device under {}", root.display())))
}

impl Controller for Backlight {
    fn describe(&self) -> String {
        format!("backlight {} (max {})", self.dir.display(), self.max)
    }

    fn apply(&mut self, light: Light) -> Result<(), LightError> {
        // Never fully dark: a shopper must still see the screen.
        let level = light.level(self.max).max(self.max / 10).max(1);
        let file = self.dir.join("brightness");
        std::fs::write(&file, format!("{level}\n"))
            .map_err(|e| LightError(format!("backlight {}: {e}", file.display())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brightness_is_written_as_a_share_of_the_maximum_and_bad_trees_say_where() {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let device = root.path().join("panel0");
        std::fs::create_dir(&device).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(device.join("max_brightness"), "937\n").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(device.join("brightness"), "937\n").unwrap_or_else(|e| panic!("{e}"));
        let mut backlight = Backlight::open(&device.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        let read = || std::fs::read_to_string(device.join("brightness")).unwrap_or_default();
        backlight.apply(Light { kelvin: 2700, brightness_percent: 40 }).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read(), "375\n");
        backlight.apply(Light { kelvin: 2700, brightness_percent: 0 }).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read(), "93\n", "never below a tenth");
        assert_eq!(first_device(root.path()).ok(), Some(device.clone()));

        std::fs::write(device.join("max_brightness"), "bright\n").unwrap_or_else(|e| panic!("{e}"));
        let err = Backlight::open(&device.display().to_string()).err().map(|e| e.0).unwrap_or_default();
        assert!(err.contains("max_brightness") && err.contains("\"bright\""), "{err}");
        let missing = Backlight::open("/nonexistent/backlight").err().map(|e| e.0).unwrap_or_default();
        assert!(missing.contains("/nonexistent/backlight/max_brightness"), "{missing}");
    }
}
