//! The three ways an item is identified, each ending in an [`ItemIdentified`] message:
//!
//! - a USB barcode scanner, which is a keyboard: [`ScanDetector`] tells its fast burst + Enter
//!   from a person typing;
//! - the tag held up to the camera: while the products panel is open in a session, a
//!   [`TagScanner`] thread searches `scanning.camera_scan_hz` frames a second (frames stay in
//!   memory and are dropped after the search; the tap closes with the panel);
//! - an RFID reader (`scanning.rfid_reader`): tags read between sessions are kept for a minute
//!   and count when the next session starts (the shopper walked in with them).

use std::{
    collections::VecDeque,
    sync::Arc,
    time::{Duration, Instant},
};

use bevy::{
    input::{
        ButtonState,
        keyboard::{Key as LogicalKey, KeyboardInput},
    },
    prelude::*,
};
use hardware::rfid::{RfidReader, TagRead};
use products::{scan::TagScanner, tags::TagCode};
use protocol::{
    barcode::Gtin,
    scanner::{BurstRules, Key, ScanDetector},
    telemetry::ScanMethod,
};

use super::{ItemCode, ItemIdentified, Panel};
use crate::{camera::CameraFeed, session::KioskPhase, settings::Settings};

/// RFID reads older than this at session start were someone else's.
const RFID_CARRY_OVER: Duration = Duration::from_secs(60);

pub fn plugin(app: &mut App) {
    app.insert_resource(UsbScanner(ScanDetector::new(BurstRules::default())))
        .init_resource::<CameraScanning>()
        .add_systems(Startup, start_rfid)
        .add_systems(Update, (read_usb_scanner, run_camera_scanning, read_rfid));
}

#[derive(Resource)]
struct UsbScanner(ScanDetector);

/// The camera scanner, while the panel is open.
#[derive(Resource, Default)]
struct CameraScanning(Option<TagScanner>);

#[derive(Resource)]
struct Rfid {
    reader: RfidReader,
    /// Reads outside a session, kept for the next one.
    between_sessions: VecDeque<(Instant, TagRead)>,
}

fn code_from_scanner(text: String) -> ItemCode {
    match Gtin::parse(&text) {
        Ok(gtin) => ItemCode::Gtin(gtin),
        Err(_) => ItemCode::Text(text),
    }
}

fn read_usb_scanner(
    mut keys: MessageReader<KeyboardInput>,
    time: Res<Time<Real>>,
    mut scanner: ResMut<UsbScanner>,
    phase: Res<State<KioskPhase>>,
    mut identified: MessageWriter<ItemIdentified>,
) {
    let now = time.elapsed();
    for key in keys.read().filter(|k| k.state == ButtonState::Pressed) {
        let keys: Vec<Key> = match &key.logical_key {
            LogicalKey::Enter => vec![Key::Enter],
            LogicalKey::Character(text) => text.chars().map(Key::Char).collect(),
            // Anything else (shift, arrows, function keys) is not part of a scan.
            _ => vec![Key::Char('\u{1b}')],
        };
        for k in keys {
            if let Some(code) = scanner.0.key(k, now)
                && *phase.get() == KioskPhase::Active
            {
                info!("products: USB scanner read {code}");
                identified.write(ItemIdentified { code: code_from_scanner(code), method: ScanMethod::Scanner });
            }
        }
    }
}

fn run_camera_scanning(
    settings: Res<Settings>,
    panel: Res<Panel>,
    phase: Res<State<KioskPhase>>,
    feed: Option<Res<CameraFeed>>,
    mut scanning: ResMut<CameraScanning>,
    mut identified: MessageWriter<ItemIdentified>,
) {
    let rate = settings.scanning.camera_scan_hz;
    let wanted = rate > 0 && panel.open && *phase.get() == KioskPhase::Active;
    match (&scanning.0, wanted, feed) {
        (None, true, Some(feed)) => match TagScanner::start(Arc::clone(&feed.shared), rate) {
            Ok(scanner) => {
                info!("products: searching {rate} camera frames a second for tags");
                scanning.0 = Some(scanner);
            }
            Err(e) => error!("products: cannot start the camera tag scanner: {e}"),
        },
        (Some(_), false, _) => {
            scanning.0 = None; // closes the camera's scan tap
            info!("products: camera tag scanning stopped");
        }
        _ => {}
    }
    let Some(scanner) = &scanning.0 else { return };
    while let Some(code) = scanner.try_recv() {
        let code = match code {
            TagCode::Gtin(gtin) => ItemCode::Gtin(gtin),
            TagCode::Qr(text) => ItemCode::Text(text),
        };
        info!("products: camera read {code:?}");
        identified.write(ItemIdentified { code, method: ScanMethod::Camera });
    }
}

fn start_rfid(mut commands: Commands, settings: Res<Settings>) {
    let address = &settings.scanning.rfid_reader;
    if address.is_empty() {
        return;
    }
    match RfidReader::start(address, Duration::from_secs(1)) {
        Ok(reader) => commands.insert_resource(Rfid { reader, between_sessions: VecDeque::new() }),
        Err(e) => error!("products: scanning.rfid_reader {address}: cannot start the reader thread: {e}"),
    }
}

fn read_rfid(rfid: Option<ResMut<Rfid>>, phase: Res<State<KioskPhase>>, mut identified: MessageWriter<ItemIdentified>) {
    let Some(mut rfid) = rfid else { return };
    let active = *phase.get() == KioskPhase::Active;
    let mut reads = Vec::new();
    if active && phase.is_changed() {
        reads.extend(
            rfid.between_sessions.drain(..).filter(|(at, _)| at.elapsed() < RFID_CARRY_OVER).map(|(_, read)| read),
        );
    }
    while let Some(read) = rfid.reader.try_recv() {
        if active {
            reads.push(read);
        } else {
            rfid.between_sessions.push_back((Instant::now(), read));
            if rfid.between_sessions.len() > 32 {
                rfid.between_sessions.pop_front();
            }
        }
    }
    for read in reads {
        let code = match read.gtin {
            Some(gtin) => ItemCode::Gtin(gtin),
            None => ItemCode::Epc(read.epc),
        };
        identified.write(ItemIdentified { code, method: ScanMethod::Rfid });
    }
}
