//! `kiosk --list-cameras`: every camera with the modes it offers.

use std::process::ExitCode;

/// Prints the cameras (or "no cameras found") and returns the process exit code.
pub fn print() -> ExitCode {
    match camera::device::list_cameras() {
        Ok(cameras) if cameras.is_empty() => {
            println!("no cameras found");
            ExitCode::SUCCESS
        }
        Ok(cameras) => {
            for c in cameras {
                println!("camera {}: {} ({})", c.index, c.name, c.description);
                match c.modes {
                    Ok(modes) if modes.is_empty() => println!("  no modes in a format the kiosk converts"),
                    Ok(modes) => modes.iter().for_each(|m| println!("  {m}")),
                    Err(e) => println!("  cannot read its formats: {e}"),
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kiosk: cannot list cameras: {e}");
            ExitCode::FAILURE
        }
    }
}
