//! A stand-in RFID reader for tests and demos: a TCP server on a loopback port that sends every
//! connected client the lines it is given, as a fixed reader streams its tag reads.

use std::{
    io::Write,
    net::{SocketAddr, TcpListener, TcpStream},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    thread::JoinHandle,
    time::Duration,
};

use protocol::barcode::Gtin;

use crate::rfid::sgtin96_epc;

/// The simulated reader.
pub struct Simulator {
    address: SocketAddr,
    clients: Arc<Mutex<Vec<TcpStream>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    next_serial: u64,
}

impl Simulator {
    /// Listens on `listen` (e.g. `127.0.0.1:0` for a free port).
    pub fn start(listen: &str) -> std::io::Result<Self> {
        let listener = TcpListener::bind(listen)?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let clients = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::Builder::new().name("rfid-simulator".into()).spawn({
            let (clients, stop) = (Arc::clone(&clients), Arc::clone(&stop));
            move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let _ = stream.set_nonblocking(false);
                            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                            clients.lock().unwrap_or_else(|p| p.into_inner()).push(stream);
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
            }
        })?;
        Ok(Self { address, clients, stop, thread: Some(thread), next_serial: 1 })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Connected clients.
    pub fn clients(&self) -> usize {
        self.clients.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Sends `line` to every client (dropping those that went away).
    pub fn send_line(&self, line: &str) {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        clients.retain_mut(|client| client.write_all(format!("{line}\n").as_bytes()).is_ok());
    }

    /// A new tag of item `gtin` enters the field: its EPC (company prefix of 7 digits, next
    /// serial) is read `times` times, as a reader does while a tag stays in range.
    pub fn show_item(&mut self, gtin: &Gtin, times: u32) -> Option<String> {
        let epc = sgtin96_epc(gtin, 7, self.next_serial)?;
        self.next_serial += 1;
        for antenna in 0..times {
            self.send_line(&format!("EPC:{epc},ANT:{},RSSI:-{}", antenna % 2 + 1, 48 + antenna % 7));
        }
        Some(epc)
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::rfid::RfidReader;

    fn wait(what: &str, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn the_reader_reports_each_item_once_skips_garbage_and_reconnects() {
        let mut simulator = Simulator::start("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let address = simulator.address().to_string();
        let reader = RfidReader::start(&address, Duration::from_millis(100)).unwrap_or_else(|e| panic!("{e}"));
        wait("the reader to connect", || simulator.clients() == 1 && reader.is_connected());

        let shirt = Gtin::parse("4006381333931").unwrap_or_else(|e| panic!("{e}"));
        simulator.send_line("garbage ☃ line");
        simulator.send_line(&"F".repeat(4000));
        let epc = simulator.show_item(&shirt, 5).unwrap_or_else(|| panic!("no epc"));
        let read = reader.recv_timeout(Duration::from_secs(5)).unwrap_or_else(|| panic!("no tag read"));
        assert_eq!((read.epc.as_str(), read.gtin.as_ref()), (epc.as_str(), Some(&shirt)));
        std::thread::sleep(Duration::from_millis(300));
        assert!(reader.try_recv().is_none(), "five reads of one tag are one showing");

        // The reader restarts: the client reconnects and reads the next tag.
        let port = simulator.address().port();
        drop(simulator);
        let mut simulator = loop {
            match Simulator::start(&format!("127.0.0.1:{port}")) {
                Ok(simulator) => break simulator,
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        wait("the reconnect", || simulator.clients() == 1);
        let same = simulator.show_item(&shirt, 2).unwrap_or_else(|| panic!("no epc"));
        assert_eq!(same, epc, "the restarted simulator numbers serials from 1 again");
        let second = simulator.show_item(&shirt, 2).unwrap_or_else(|| panic!("no epc"));
        let read = reader.recv_timeout(Duration::from_secs(5)).unwrap_or_else(|| panic!("no read after reconnect"));
        assert_eq!(read.epc, second, "the tag already in the room is not reported again; a second one is");
    }
}
