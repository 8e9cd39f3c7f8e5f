//! The RFID reader client. Fixed readers in fitting rooms (Impinj, Zebra, Nordic ID and others)
//! offer a TCP port that streams one line per tag read; the line's first hexadecimal field of 24
//! digits is the EPC, other fields (antenna, RSSI, time) are ignored:
//!
//! ```text
//! 3074257BF7194E4000001A85
//! EPC:3074257BF7194E4000001A85,ANT:1,RSSI:-52
//! ```
//!
//! Retail items carry SGTIN-96 EPCs (GS1 Tag Data Standard): the item's GTIN plus a serial
//! number. [`sgtin96_gtin`] turns one into the EAN-13 the catalog is keyed by. [`RfidReader`]
//! keeps a connection to the reader (reconnecting with backoff), and reports each tag once per
//! showing; garbage lines are skipped with a log line, never a crash.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader, Read},
    net::{TcpStream, ToSocketAddrs},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use protocol::barcode::{Gtin, check_digit};

/// Longest line accepted from a reader; longer ones are skipped.
const MAX_LINE: usize = 512;
/// A tag read again within this time is the same showing (readers report a tag many times a
/// second while it is in the field).
const SAME_SHOWING: Duration = Duration::from_secs(10);

/// One item's tag as the kiosk needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRead {
    /// The EPC, 24 upper-case hex digits.
    pub epc: String,
    /// The item's GTIN, when the EPC is an item-level SGTIN-96.
    pub gtin: Option<Gtin>,
}

/// The EPC in one reader line: the first field of exactly 24 hex digits (after an optional
/// `EPC:` / `epc=` label).
pub fn epc_in_line(line: &str) -> Option<String> {
    line.split([',', ';', ' ', '\t'])
        .map(|field| field.rsplit([':', '=']).next().unwrap_or(field).trim())
        .find(|field| field.len() == 24 && field.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_ascii_uppercase)
}

/// Company-prefix bits and digits by SGTIN partition value (GS1 TDS table 14-2); the item
/// reference (with the indicator digit in front) gets the rest of 44 bits and 13 digits.
const PARTITIONS: [(u32, usize); 7] = [(40, 12), (37, 11), (34, 10), (30, 9), (27, 8), (24, 7), (20, 6)];

/// The EAN-13 of an item-level SGTIN-96 EPC (header 0x30). `None` for other tag types, for
/// case-level GTINs (indicator digit not 0) and for malformed fields.
pub fn sgtin96_gtin(epc: &str) -> Option<Gtin> {
    if epc.len() != 24 {
        return None;
    }
    let bits = u128::from_str_radix(epc, 16).ok()?;
    let field =
        |from_msb: u32, width: u32| -> u64 { ((bits >> (96 - from_msb - width)) & ((1u128 << width) - 1)) as u64 };
    if field(0, 8) != 0x30 {
        return None;
    }
    let partition = field(11, 3) as usize;
    let (prefix_bits, prefix_digits) = *PARTITIONS.get(partition)?;
    let item_bits = 44 - prefix_bits;
    let item_digits = 13 - prefix_digits;
    let prefix = field(14, prefix_bits);
    let item = field(14 + prefix_bits, item_bits);
    let prefix = format!("{prefix:0prefix_digits$}");
    let item = format!("{item:0item_digits$}");
    if prefix.len() != prefix_digits || item.len() != item_digits {
        return None;
    }
    // GTIN-14 = indicator (item reference's first digit) + prefix + rest of the item reference.
    let (indicator, item_rest) = item.split_at(1);
    if indicator != "0" {
        return None;
    }
    let body: Vec<u8> = format!("{prefix}{item_rest}").bytes().map(|b| b - b'0').collect();
    let check = check_digit(&body);
    let digits: String = body.iter().map(|d| char::from(b'0' + d)).chain([char::from(b'0' + check)]).collect();
    Gtin::parse(&digits).ok()
}

/// The SGTIN-96 EPC of an EAN-13 item with `serial`, company prefix of `prefix_digits` digits
/// (filter value 1: point-of-sale item). The inverse of [`sgtin96_gtin`]; simulators and label
/// printers use it.
pub fn sgtin96_epc(gtin: &Gtin, prefix_digits: usize, serial: u64) -> Option<String> {
    let partition = PARTITIONS.iter().position(|(_, digits)| *digits == prefix_digits)?;
    let (prefix_bits, _) = PARTITIONS[partition];
    let digits: String = gtin.digits().iter().map(|d| char::from(b'0' + d)).collect();
    let (prefix, item) = digits[..12].split_at(prefix_digits);
    let prefix: u128 = prefix.parse().ok()?;
    let item: u128 = format!("0{item}").parse().ok()?;
    if serial >= 1 << 38 {
        return None;
    }
    let bits = (0x30u128 << 88)
        | (1u128 << 85)
        | ((partition as u128) << 82)
        | (prefix << (82 - prefix_bits))
        | (item << 38)
        | u128::from(serial);
    Some(format!("{bits:024X}"))
}

/// Connection to a reader at `address`, on its own thread.
pub struct RfidReader {
    stop: Arc<AtomicBool>,
    /// Behind a mutex so the handle can be shared (a Bevy resource must be `Sync`).
    reads: Mutex<mpsc::Receiver<TagRead>>,
    connected: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RfidReader {
    /// Starts connecting to `address` (`host:port`); reconnects after every failure, waiting
    /// `retry` (doubling up to 30 s).
    pub fn start(address: &str, retry: Duration) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let connected = Arc::new(AtomicBool::new(false));
        let (sender, reads) = mpsc::channel();
        let thread = std::thread::Builder::new().name("rfid-reader".into()).spawn({
            let (address, stop, connected) = (address.to_string(), Arc::clone(&stop), Arc::clone(&connected));
            move || reader_loop(&address, retry, &stop, &connected, &sender)
        })?;
        Ok(Self { stop, reads: Mutex::new(reads), connected, thread: Some(thread) })
    }

    pub fn try_recv(&self) -> Option<TagRead> {
        self.reads.lock().ok()?.try_recv().ok()
    }

    pub fn recv_timeout(&self, timeout: Duration) -> Option<TagRead> {
        self.reads.lock().ok()?.recv_timeout(timeout).ok()
    }

    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }
}

impl Drop for RfidReader {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn sleep_unless_stopped(total: Duration, stop: &AtomicBool) {
    let deadline = Instant::now() + total;
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn reader_loop(
    address: &str,
    retry: Duration,
    stop: &AtomicBool,
    connected: &AtomicBool,
    reads: &mpsc::Sender<TagRead>,
) {
    let mut backoff = retry;
    let mut seen: HashMap<String, Instant> = HashMap::new();
    while !stop.load(Ordering::Relaxed) {
        let stream = address
            .to_socket_addrs()
            .map_err(|e| e.to_string())
            .and_then(|mut addrs| addrs.next().ok_or_else(|| "no address".to_string()))
            .and_then(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(3)).map_err(|e| e.to_string()));
        let stream = match stream {
            Ok(stream) => stream,
            Err(e) => {
                tracing::warn!("rfid: reader {address}: {e}; retrying in {:.1} s", backoff.as_secs_f32());
                sleep_unless_stopped(backoff, stop);
                backoff = (backoff * 2).min(Duration::from_secs(30));
                continue;
            }
        };
        // Short reads let the thread notice `stop`; the reader may be silent for long.
        let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
        connected.store(true, Ordering::Relaxed);
        backoff = retry;
        tracing::info!("rfid: connected to the reader at {address}");
        let reason = read_lines(stream, stop, &mut seen, reads);
        connected.store(false, Ordering::Relaxed);
        if stop.load(Ordering::Relaxed) {
            return;
        }
        tracing::warn!("rfid: reader {address}: {reason}; reconnecting in {:.1} s", backoff.as_secs_f32());
        sleep_unless_stopped(backoff, stop);
    }
}

/// Reads lines until the connection ends; returns why it ended.
fn read_lines(
    stream: TcpStream,
    stop: &AtomicBool,
    seen: &mut HashMap<String, Instant>,
    reads: &mpsc::Sender<TagRead>,
) -> String {
    let mut lines = BufReader::new(stream.take(u64::MAX));
    let mut line = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        match lines.read_until(b'\n', &mut line) {
            Ok(0) => return "the reader closed the connection".into(),
            Ok(_) if !line.ends_with(b"\n") && line.len() <= MAX_LINE => continue, // partial; read more
            Ok(_) => {}
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => continue,
            Err(e) => return e.to_string(),
        }
        let text = String::from_utf8_lossy(&line).trim().to_string();
        let overlong = line.len() > MAX_LINE;
        line.clear();
        if text.is_empty() {
            continue;
        }
        let Some(epc) = epc_in_line(&text).filter(|_| !overlong) else {
            tracing::warn!("rfid: skipped a line without an EPC: {:?}", text.chars().take(80).collect::<String>());
            continue;
        };
        let now = Instant::now();
        seen.retain(|_, at| now.duration_since(*at) < SAME_SHOWING);
        if seen.insert(epc.clone(), now).is_some() {
            continue;
        }
        let gtin = sgtin96_gtin(&epc);
        if reads.send(TagRead { epc, gtin }).is_err() {
            return "the app stopped listening".into();
        }
    }
    "stopped".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gs1_example_epc_is_a_case_level_gtin() {
        // GS1 TDS example: urn:epc:id:sgtin:0614141.812345.6789 (indicator 8: not an item).
        assert_eq!(sgtin96_gtin("3074257BF7194E4000001A85"), None);
        assert_eq!(
            epc_in_line("EPC:3074257bf7194e4000001a85,ANT:1,RSSI:-52").as_deref(),
            Some("3074257BF7194E4000001A85")
        );
    }

    #[test]
    fn the_readme_example_is_the_demo_oxford_shirt() {
        let line = "EPC:3034F487B40000C000000001,ANT:1,RSSI:-52";
        let gtin = epc_in_line(line).and_then(|epc| sgtin96_gtin(&epc));
        assert_eq!(gtin.map(|g| g.to_string()).as_deref(), Some("4006381000031"));
    }

    #[test]
    fn item_epcs_round_trip_to_their_ean13() {
        for (code, prefix_digits) in
            [("4006381333931", 7), ("0036000291452", 6), ("4000000000037", 12), ("5901234123457", 9)]
        {
            let gtin = Gtin::parse(code).unwrap_or_else(|e| panic!("{e}"));
            let epc = sgtin96_epc(&gtin, prefix_digits, 123_456).unwrap_or_else(|| panic!("no epc for {code}"));
            assert!(epc.starts_with("30"), "{epc}");
            assert_eq!(sgtin96_gtin(&epc), Some(gtin), "{code} via {epc}");
        }
    }

    #[test]
    fn lines_without_an_item_epc_give_nothing() {
        for line in ["", "hello", "EPC:12345", "E2801160600002089C2A8F2D", "ANT:1 RSSI:-40", "3074257BF7194E4000001A8"]
        {
            let gtin = epc_in_line(line).and_then(|epc| sgtin96_gtin(&epc));
            assert_eq!(gtin, None, "{line:?}");
        }
        assert_eq!(sgtin96_gtin("ZZ74257BF7194E4000001A85"), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// Any reader line (garbage, labels, near-EPCs): no panic; an EPC found is 24 hex digits
        /// and a GTIN decoded from it is a valid EAN-13 that encodes back to an item EPC.
        #[test]
        fn any_reader_line_is_safe(line in "(EPC:|epc=|ANT:|RSSI:|[ ,;\t]|[0-9A-Fa-f]{1,26}|\\PC{0,6}){0,8}") {
            if let Some(epc) = epc_in_line(&line) {
                proptest::prop_assert!(epc.len() == 24 && epc.chars().all(|c| c.is_ascii_hexdigit()), "{epc}");
                if let Some(gtin) = sgtin96_gtin(&epc) {
                    proptest::prop_assert!(Gtin::parse(&gtin.to_string()).is_ok());
                }
            }
        }

        #[test]
        fn any_hex_epc_decodes_or_is_refused(epc in "[0-9A-F]{24}") {
            if let Some(gtin) = sgtin96_gtin(&epc) {
                proptest::prop_assert!(epc.starts_with("30"));
                proptest::prop_assert!(Gtin::parse(&gtin.to_string()).is_ok());
            }
        }
    }
}
