//! The controller's own thread: the kiosk sends the newest light and never waits; outcomes come
//! back as [`Report`]s. Lights asked for while one is being applied collapse to the newest.

use std::{
    sync::{
        Mutex,
        mpsc::{self, Receiver, Sender, TryRecvError},
    },
    thread,
};

use protocol::lighting::Light;

use crate::{Controller, LightError};

/// What became of a light.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub light: Light,
    /// The controller, as [`Controller::describe`] says.
    pub controller: String,
    pub outcome: Result<(), LightError>,
    /// The command that asked for it, if one did, to be acked.
    pub token: Option<String>,
}

pub struct LightWorker {
    requests: Sender<(Light, Option<String>)>,
    /// Behind a lock so the worker can live in a shared (`Sync`) place such as an ECS resource.
    reports: Mutex<Receiver<Report>>,
}

impl LightWorker {
    pub fn spawn(mut controller: Box<dyn Controller>) -> Result<Self, LightError> {
        let (requests, wanted) = mpsc::channel::<(Light, Option<String>)>();
        let (reports_tx, reports) = mpsc::channel();
        thread::Builder::new()
            .name("lights".into())
            .spawn(move || {
                while let Ok(mut next) = wanted.recv() {
                    // Newest wins; an older command's token is still answered, with this outcome.
                    let mut tokens = vec![next.1.take()];
                    loop {
                        match wanted.try_recv() {
                            Ok(newer) => {
                                tokens.push(newer.1);
                                next.0 = newer.0;
                            }
                            Err(TryRecvError::Empty) => break,
                            Err(TryRecvError::Disconnected) => return,
                        }
                    }
                    let outcome = controller.apply(next.0);
                    let controller = controller.describe();
                    for token in tokens {
                        let report =
                            Report { light: next.0, controller: controller.clone(), outcome: outcome.clone(), token };
                        if reports_tx.send(report).is_err() {
                            return;
                        }
                    }
                }
            })
            .map_err(|e| LightError(format!("cannot start the lights thread: {e}")))?;
        Ok(Self { requests, reports: Mutex::new(reports) })
    }

    /// Asks for `light`; `token` comes back in its report.
    pub fn set(&self, light: Light, token: Option<String>) {
        let _ = self.requests.send((light, token));
    }

    pub fn try_report(&self) -> Option<Report> {
        self.reports.lock().unwrap_or_else(|e| e.into_inner()).try_recv().ok()
    }
}
