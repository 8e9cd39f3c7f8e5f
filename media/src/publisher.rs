//! The WHIP publisher: one WebRTC peer connection (str0m, sans-IO) sending VP8 to the media
//! server, on a thread of its own with its own UDP socket. Frames come through a [`FrameSlot`]:
//! the newest frame wins, never a queue, so a slow network or encoder drops frames instead of
//! falling behind. A keyframe goes out every `keyframe_interval` (2 s) and whenever the server relays a viewer's
//! PLI/FIR. Signalling is the caller's (an HTTP POST of [`PendingPublisher::offer`] to the WHIP
//! endpoint), so no HTTP client lives here. [`Publisher::stop`] returns within a frame interval.

use std::{
    net::{IpAddr, SocketAddr, UdpSocket},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

use str0m::{
    Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig,
    change::{SdpAnswer, SdpPendingOffer},
    format::Codec,
    media::{Direction, Frequency, MediaKind, MediaTime, Mid},
    net::{Protocol, Receive},
};

use crate::{
    MediaError,
    vp8::{Vp8Encoder, Vp8Settings},
};

/// One share-sized RGBA frame and when the camera took it.
#[derive(Debug, Clone)]
pub struct RgbaFrame {
    pub width: u32,
    pub height: u32,
    pub stride: u32,
    pub data: Arc<[u8]>,
    pub captured: Instant,
}

/// The newest frame for the publisher (the share tap writes, the publisher takes).
#[derive(Debug, Default)]
pub struct FrameSlot {
    newest: Mutex<Option<RgbaFrame>>,
}

impl FrameSlot {
    /// Replaces whatever frame was waiting.
    pub fn put(&self, frame: RgbaFrame) {
        *self.newest.lock().unwrap_or_else(|p| p.into_inner()) = Some(frame);
    }

    /// The waiting frame, if any, leaving the slot empty.
    fn take(&self) -> Option<RgbaFrame> {
        self.newest.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// What a publisher sends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublisherSettings {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub bitrate_bps: u32,
    /// Between keyframes when nobody asks for one (2 s: a viewer that missed a packet recovers
    /// within that).
    pub keyframe_interval: Duration,
}

/// Counters the share screen and the benchmark read.
#[derive(Debug, Default)]
pub struct PublisherStats {
    pub connected: AtomicBool,
    pub frames_sent: AtomicU64,
    pub keyframes_sent: AtomicU64,
    pub keyframes_requested: AtomicU64,
    pub bytes_sent: AtomicU64,
    /// Encoder time over all frames, microseconds.
    pub encode_us: AtomicU64,
}

/// A peer connection whose offer waits for the media server's answer.
pub struct PendingPublisher {
    rtc: Rtc,
    pending: SdpPendingOffer,
    mid: Mid,
    offer: String,
    settings: PublisherSettings,
}

impl std::fmt::Debug for PendingPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingPublisher").field("mid", &self.mid).field("settings", &self.settings).finish()
    }
}

fn rtc_error(what: &str) -> impl FnOnce(str0m::RtcError) -> MediaError + '_ {
    move |e| MediaError::WebRtc(format!("{what}: {e}"))
}

/// The first UDP candidate address in an SDP (where the media server receives).
fn first_udp_candidate(sdp: &str) -> Option<SocketAddr> {
    sdp.lines().filter_map(|line| line.trim().strip_prefix("a=candidate:")).find_map(|candidate| {
        let fields: Vec<&str> = candidate.split_whitespace().collect();
        let (transport, ip, port) = (fields.get(2)?, fields.get(4)?, fields.get(5)?);
        if !transport.eq_ignore_ascii_case("udp") {
            return None;
        }
        Some(SocketAddr::new(ip.parse().ok()?, port.parse().ok()?))
    })
}

/// This machine's address towards `remote`: the source the kernel picks (a UDP `connect` sends
/// nothing).
fn local_address_towards(remote: SocketAddr) -> Result<IpAddr, MediaError> {
    let unspecified: IpAddr = if remote.is_ipv4() { [0, 0, 0, 0].into() } else { [0u16; 8].into() };
    let probe = UdpSocket::bind(SocketAddr::new(unspecified, 0)).map_err(|e| MediaError::WebRtc(e.to_string()))?;
    probe.connect(remote).map_err(|e| MediaError::WebRtc(format!("no route to the media server at {remote}: {e}")))?;
    probe.local_addr().map(|a| a.ip()).map_err(|e| MediaError::WebRtc(e.to_string()))
}

impl PendingPublisher {
    /// A send-only VP8 peer connection and its offer. Its socket is bound once the answer says
    /// where the media server is (the interface that reaches it); the server, a full ICE agent,
    /// learns that address from the connectivity checks.
    pub fn new(settings: PublisherSettings) -> Result<Self, MediaError> {
        let mut rtc = RtcConfig::new()
            .set_crypto_provider(Arc::new(str0m::crypto::from_feature_flags()))
            .clear_codecs()
            .enable_vp8(true)
            .build(Instant::now());
        let mut change = rtc.sdp_api();
        let mid =
            change.add_media(MediaKind::Video, Direction::SendOnly, Some("mirror".into()), Some("look".into()), None);
        let (offer, pending) = change.apply().ok_or_else(|| MediaError::WebRtc("no offer to make".into()))?;
        Ok(Self { rtc, pending, mid, offer: offer.to_sdp_string(), settings })
    }

    /// The SDP offer to POST to the WHIP endpoint.
    pub fn offer(&self) -> &str {
        &self.offer
    }

    /// Takes the server's answer and starts sending the frames `slot` receives.
    pub fn start(mut self, answer: &str, slot: Arc<FrameSlot>) -> Result<Publisher, MediaError> {
        let server = first_udp_candidate(answer)
            .ok_or_else(|| MediaError::WebRtc("the answer names no UDP candidate".into()))?;
        let local = local_address_towards(server)?;
        let socket = UdpSocket::bind(SocketAddr::new(local, 0))
            .map_err(|e| MediaError::WebRtc(format!("UDP socket on {local}: {e}")))?;
        let address = socket.local_addr().map_err(|e| MediaError::WebRtc(e.to_string()))?;
        let candidate =
            Candidate::host(address, "udp").map_err(|e| MediaError::WebRtc(format!("candidate {address}: {e}")))?;
        self.rtc.add_local_candidate(candidate);
        let answer = SdpAnswer::from_sdp_string(answer).map_err(|e| MediaError::WebRtc(format!("the answer: {e}")))?;
        self.rtc.sdp_api().accept_answer(self.pending, answer).map_err(rtc_error("the answer"))?;
        let settings = self.settings;
        let encoder = Vp8Encoder::new(Vp8Settings {
            width: settings.width,
            height: settings.height,
            fps: settings.fps,
            bitrate_bps: settings.bitrate_bps,
            keyframe_interval: (settings.keyframe_interval.as_secs_f32() * settings.fps.max(1) as f32).max(1.0) as u32,
        })?;
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(PublisherStats::default());
        let connection = Connection {
            rtc: self.rtc,
            mid: self.mid,
            socket,
            encoder,
            slot,
            stop: Arc::clone(&stop),
            stats: Arc::clone(&stats),
            frame_interval: Duration::from_secs(1) / settings.fps.max(1),
        };
        let thread = thread::Builder::new()
            .name("webrtc-publisher".into())
            .spawn(move || connection.run())
            .map_err(|e| MediaError::WebRtc(format!("publisher thread: {e}")))?;
        Ok(Publisher { stop, stats, thread: Some(thread) })
    }
}

/// A running publisher; dropping it stops it too.
#[derive(Debug)]
pub struct Publisher {
    stop: Arc<AtomicBool>,
    stats: Arc<PublisherStats>,
    thread: Option<thread::JoinHandle<Result<(), MediaError>>>,
}

impl Publisher {
    pub fn stats(&self) -> &PublisherStats {
        &self.stats
    }

    /// Whether the connection ended by itself (the server hung up or the network went).
    pub fn has_ended(&self) -> bool {
        self.thread.as_ref().is_none_or(thread::JoinHandle::is_finished)
    }

    /// Stops sending and closes the socket; why it had ended, if it had.
    pub fn stop(mut self) -> Result<(), MediaError> {
        self.halt()
    }

    fn halt(&mut self) -> Result<(), MediaError> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.take().map(thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(MediaError::WebRtc("the publisher thread panicked".into())),
            None => Ok(()),
        }
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        let _ = self.halt();
    }
}

struct Connection {
    rtc: Rtc,
    mid: Mid,
    socket: UdpSocket,
    encoder: Vp8Encoder,
    slot: Arc<FrameSlot>,
    stop: Arc<AtomicBool>,
    stats: Arc<PublisherStats>,
    frame_interval: Duration,
}

impl Connection {
    fn run(mut self) -> Result<(), MediaError> {
        let started = Instant::now();
        let local = self.socket.local_addr().map_err(|e| MediaError::WebRtc(e.to_string()))?;
        let mut buffer = vec![0u8; 2000];
        let mut keyframe_asked = true;
        let mut next_frame = Instant::now();
        while !self.stop.load(Ordering::Relaxed) {
            // Everything str0m has to say, until it names when it next needs us.
            let deadline = loop {
                match self.rtc.poll_output().map_err(rtc_error("polling"))? {
                    Output::Timeout(at) => break at,
                    Output::Transmit(packet) => {
                        let _ = self.socket.send_to(&packet.contents, packet.destination);
                    }
                    Output::Event(Event::Connected) => self.stats.connected.store(true, Ordering::Relaxed),
                    Output::Event(Event::IceConnectionStateChange(IceConnectionState::Disconnected)) => {
                        return Err(MediaError::WebRtc("the media server went away".into()));
                    }
                    Output::Event(Event::KeyframeRequest(_)) => {
                        keyframe_asked = true;
                        self.stats.keyframes_requested.fetch_add(1, Ordering::Relaxed);
                    }
                    Output::Event(_) => {}
                }
            };
            let now = Instant::now();
            if now >= next_frame {
                next_frame = now + self.frame_interval;
                if self.stats.connected.load(Ordering::Relaxed)
                    && let Some(frame) = self.slot.take()
                {
                    keyframe_asked = !self.send(&frame, keyframe_asked, started)? && keyframe_asked;
                }
            }
            let wait = deadline.min(next_frame).saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
            let _ = self.socket.set_read_timeout(Some(wait.min(Duration::from_millis(50))));
            let input = match self.socket.recv_from(&mut buffer) {
                Ok((n, source)) => match buffer[..n].try_into() {
                    Ok(contents) => Input::Receive(
                        Instant::now(),
                        Receive { proto: Protocol::Udp, source, destination: local, contents },
                    ),
                    Err(_) => continue, // not STUN, DTLS or RTP: ignored
                },
                Err(_) => Input::Timeout(Instant::now()),
            };
            self.rtc.handle_input(input).map_err(rtc_error("input"))?;
        }
        self.rtc.disconnect();
        Ok(())
    }

    /// Encodes and writes one frame; whether it went out as a keyframe.
    fn send(&mut self, frame: &RgbaFrame, keyframe: bool, started: Instant) -> Result<bool, MediaError> {
        let settings = self.encoder.settings();
        if (frame.width, frame.height) != (settings.width, settings.height) {
            return Err(MediaError::Encoder(format!(
                "a {}×{} frame for a {}×{} stream",
                frame.width, frame.height, settings.width, settings.height
            )));
        }
        let encoding = Instant::now();
        let Some(encoded) = self.encoder.encode_rgba(&frame.data, frame.stride, keyframe)? else { return Ok(false) };
        self.stats.encode_us.fetch_add(encoding.elapsed().as_micros() as u64, Ordering::Relaxed);
        let Some(writer) = self.rtc.writer(self.mid) else { return Ok(false) };
        let Some(pt) = writer.payload_params().find(|p| p.spec().codec == Codec::Vp8).map(|p| p.pt()) else {
            return Err(MediaError::WebRtc("the media server did not take VP8".into()));
        };
        let ticks = frame.captured.saturating_duration_since(started).as_micros() as u64 * 90 / 1000;
        let bytes = encoded.data.len() as u64;
        writer
            .write(pt, frame.captured, MediaTime::new(ticks, Frequency::NINETY_KHZ), encoded.data)
            .map_err(rtc_error("writing a frame"))?;
        self.stats.frames_sent.fetch_add(1, Ordering::Relaxed);
        self.stats.bytes_sent.fetch_add(bytes, Ordering::Relaxed);
        if encoded.keyframe {
            self.stats.keyframes_sent.fetch_add(1, Ordering::Relaxed);
        }
        Ok(encoded.keyframe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_s_first_udp_candidate_is_where_the_socket_points() {
        let sdp = "v=0\r\na=candidate:1 1 tcp 1518280447 10.0.0.9 9 typ host tcptype passive\r\n\
                   a=candidate:2 1 udp 2015363327 10.213.7.2 20374 typ host\r\n";
        assert_eq!(first_udp_candidate(sdp), Some(SocketAddr::from(([10, 213, 7, 2], 20374))));
        assert_eq!(first_udp_candidate("v=0\r\n"), None);
        let loopback = local_address_towards(SocketAddr::from(([127, 0, 0, 1], 9)));
        assert_eq!(loopback.ok(), Some(IpAddr::from([127, 0, 0, 1])));
    }
}
