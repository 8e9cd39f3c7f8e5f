//! This process's CPU and memory use, for health reports.

use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};

/// Samples this process; CPU use is averaged between two calls of [`ProcessMonitor::sample`].
pub struct ProcessMonitor {
    system: Option<System>,
    pid: Pid,
}

/// One reading.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProcessSample {
    /// Percent of one core since the previous sample.
    pub cpu_percent: f32,
    pub memory_mb: f32,
}

impl ProcessMonitor {
    pub fn new() -> Self {
        let system = System::new().inspect_err(|e| tracing::warn!("process statistics unavailable: {e}")).ok();
        let mut monitor = Self { system, pid: Pid::from_u32(std::process::id()) };
        monitor.sample();
        monitor
    }

    /// Reads CPU and memory now (zeros where the system does not tell).
    pub fn sample(&mut self) -> ProcessSample {
        let Some(system) = self.system.as_mut() else { return ProcessSample::default() };
        // Process CPU use is measured against the machine's CPU time, so that is read too.
        system.refresh_cpu_usage();
        system.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[self.pid]),
            false,
            ProcessRefreshKind::nothing().with_cpu().with_memory(),
        );
        system.process(self.pid).map_or_else(ProcessSample::default, |process| ProcessSample {
            cpu_percent: process.cpu_usage(),
            memory_mb: process.memory() as f32 / (1024.0 * 1024.0),
        })
    }
}

impl Default for ProcessMonitor {
    fn default() -> Self {
        Self::new()
    }
}

/// Bytes free for an unprivileged user on the file system holding `path` (the longest mount
/// point that contains it). `None` when no mounted file system matches.
pub fn free_space(path: &std::path::Path) -> Option<u64> {
    let path = std::fs::canonicalize(path).ok()?;
    let disks = sysinfo::Disks::new_with_refreshed_list().ok()?;
    disks
        .iter()
        .filter(|d| path.starts_with(d.mount_point()))
        .max_by_key(|d| d.mount_point().as_os_str().len())
        .map(|d| d.available_space())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process() {
        let spin = |ms: u64| {
            let until = std::time::Instant::now() + std::time::Duration::from_millis(ms);
            let mut n = 0u64;
            while std::time::Instant::now() < until {
                n = n.wrapping_add(1);
            }
            n
        };
        // sysinfo starts measuring once the process has used some CPU time.
        spin(50);
        let mut monitor = ProcessMonitor::new();
        let spun = spin(300);
        let sample = monitor.sample();
        assert!(spun > 0);
        assert!(sample.memory_mb > 1.0, "{sample:?}");
        assert!(sample.cpu_percent > 10.0, "a busy loop shows as CPU use: {sample:?}");
    }
}
