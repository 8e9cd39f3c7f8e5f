//! `rfid-sim`: a simulated fitting-room RFID reader for demos and manual tests. Listens on a TCP
//! port and, for each line typed on stdin, sends the connected kiosks a tag read:
//!
//! - `4006381333931` (an EAN-13 / UPC-A): a new tag of that item (SGTIN-96 EPC, next serial);
//! - anything else: sent as it is (to see how the kiosk takes garbage).

use std::io::BufRead;

use clap::Parser;
use hardware::simulator::Simulator;
use protocol::barcode::Gtin;

#[derive(Parser)]
#[command(about = "A simulated line-based RFID reader (TCP)")]
struct Args {
    /// Where to listen; point the kiosk's `scanning.rfid_reader` here.
    #[arg(long, default_value = "127.0.0.1:7070")]
    listen: String,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut simulator = Simulator::start(&args.listen)?;
    eprintln!("rfid-sim: listening on {}; type an EAN-13 per line to put a tag in the field", simulator.address());
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let line = line.trim();
        match Gtin::parse(line) {
            Ok(gtin) => match simulator.show_item(&gtin, 3) {
                Some(epc) => eprintln!("rfid-sim: {gtin} as EPC {epc} to {} client(s)", simulator.clients()),
                None => eprintln!("rfid-sim: cannot encode {gtin}"),
            },
            Err(_) => simulator.send_line(line),
        }
    }
    Ok(())
}
