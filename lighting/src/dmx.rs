//! DMX512 tunable-white fixtures over the network: two channels from `start_channel` (warm white,
//! cool white), sent as one Art-Net ArtDmx packet or one E1.31 (sACN) data packet per change, by
//! unicast to `target` (a node or a lighting console). A fixture holds its last values, so
//! nothing is repeated; a node that needs a refresh rate gets one from its console.

use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};

use artnet_protocol::{ArtCommand, Output, PortAddress};
use protocol::lighting::Light;

use crate::{Controller, LightError};

/// The Art-Net UDP port.
pub const ARTNET_PORT: u16 = 6454;
/// The E1.31 UDP port.
pub const SACN_PORT: u16 = 5568;

fn resolve(target: &str, default_port: u16) -> Result<SocketAddr, LightError> {
    let with_port = if target.contains(':') { target.to_string() } else { format!("{target}:{default_port}") };
    with_port
        .to_socket_addrs()
        .map_err(|e| LightError(format!("dmx_target {target:?}: {e}")))?
        .next()
        .ok_or_else(|| LightError(format!("dmx_target {target:?}: no address")))
}

/// The universe's channels up to the fixture's, the fixture's two set from `light`.
fn frame(light: Light, start_channel: u16) -> Vec<u8> {
    let first = usize::from(start_channel.max(1)) - 1;
    // Art-Net wants an even length of at least 2.
    let mut data = vec![0u8; (first + 2).next_multiple_of(2)];
    let (warm, cool) = light.warm_cool();
    data[first] = warm;
    data[first + 1] = cool;
    data
}

pub struct ArtNet {
    socket: UdpSocket,
    target: SocketAddr,
    universe: u16,
    start_channel: u16,
    sequence: u8,
}

impl ArtNet {
    pub fn new(target: &str, universe: u16, start_channel: u16) -> Result<Self, LightError> {
        let target = resolve(target, ARTNET_PORT)?;
        let bind = if target.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" };
        let socket = UdpSocket::bind(bind).map_err(|e| LightError(format!("artnet: cannot open a socket: {e}")))?;
        PortAddress::try_from(universe).map_err(|e| LightError(format!("artnet: universe {universe}: {e:?}")))?;
        Ok(Self { socket, target, universe, start_channel, sequence: 0 })
    }
}

impl Controller for ArtNet {
    fn describe(&self) -> String {
        format!(
            "Art-Net to {} universe {} channels {}–{}",
            self.target,
            self.universe,
            self.start_channel,
            self.start_channel + 1
        )
    }

    fn apply(&mut self, light: Light) -> Result<(), LightError> {
        // 1..=255; 0 would switch the receiver's reordering off.
        self.sequence = self.sequence % 255 + 1;
        let port_address =
            PortAddress::try_from(self.universe).map_err(|e| LightError(format!("artnet: universe: {e:?}")))?;
        let packet = ArtCommand::Output(Output {
            sequence: self.sequence,
            port_address,
            data: frame(light, self.start_channel).into(),
            ..Output::default()
        })
        .write_to_buffer()
        .map_err(|e| LightError(format!("artnet: cannot build the packet: {e:?}")))?;
        self.socket.send_to(&packet, self.target).map_err(|e| LightError(format!("artnet to {}: {e}", self.target)))?;
        Ok(())
    }
}

pub struct Sacn {
    source: sacn::source::SacnSource,
    target: SocketAddr,
    universe: u16,
    start_channel: u16,
}

impl Sacn {
    pub fn new(target: &str, universe: u16, start_channel: u16) -> Result<Self, LightError> {
        let target = resolve(target, SACN_PORT)?;
        let bind: SocketAddr = if target.is_ipv4() { ([0, 0, 0, 0], 0).into() } else { ([0u16; 8], 0).into() };
        let mut source = sacn::source::SacnSource::with_ip("smart-mirror", bind)
            .map_err(|e| LightError(format!("sacn: cannot open a source: {e}")))?;
        source.set_is_sending_discovery(false);
        source.register_universe(universe).map_err(|e| LightError(format!("sacn: universe {universe}: {e}")))?;
        Ok(Self { source, target, universe, start_channel })
    }
}

impl Controller for Sacn {
    fn describe(&self) -> String {
        format!(
            "sACN to {} universe {} channels {}–{}",
            self.target,
            self.universe,
            self.start_channel,
            self.start_channel + 1
        )
    }

    fn apply(&mut self, light: Light) -> Result<(), LightError> {
        // E1.31 carries the DMX start code (0, dimmer data) before the channels.
        let mut data = vec![0u8];
        data.extend(frame(light, self.start_channel));
        self.source
            .send(&[self.universe], &data, None, Some(self.target), None)
            .map_err(|e| LightError(format!("sacn to {}: {e}", self.target)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixture_s_two_channels_sit_at_its_address() {
        let light = Light { kelvin: 2700, brightness_percent: 100 };
        assert_eq!(frame(light, 1), [255, 0]);
        assert_eq!(frame(light, 4), [0, 0, 0, 255, 0, 0]);
        assert!(resolve("no such host!", ARTNET_PORT).is_err());
        assert_eq!(resolve("127.0.0.1", SACN_PORT).ok(), Some(([127, 0, 0, 1], SACN_PORT).into()));
    }
}
