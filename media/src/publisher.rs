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
    socket: UdpSocket,
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

impl PendingPublisher {
    /// A send-only VP8 peer connection on a UDP socket bound to `local_ip` (this machine's
    /// address towards the media server), and its offer.
    pub fn new(settings: PublisherSettings, local_ip: IpAddr) -> Result<Self, MediaError> {
        let socket = UdpSocket::bind(SocketAddr::new(local_ip, 0))
            .map_err(|e| MediaError::WebRtc(format!("UDP socket on {local_ip}: {e}")))?;
        let address = socket.local_addr().map_err(|e| MediaError::WebRtc(e.to_string()))?;
        let mut rtc = RtcConfig::new()
            .set_crypto_provider(Arc::new(str0m::crypto::from_feature_flags()))
            .clear_codecs()
            .enable_vp8(true)
            .build(Instant::now());
        let candidate =
            Candidate::host(address, "udp").map_err(|e| MediaError::WebRtc(format!("candidate {address}: {e}")))?;
        rtc.add_local_candidate(candidate);
        let mut change = rtc.sdp_api();
        let mid =
            change.add_media(MediaKind::Video, Direction::SendOnly, Some("mirror".into()), Some("look".into()), None);
        let (offer, pending) = change.apply().ok_or_else(|| MediaError::WebRtc("no offer to make".into()))?;
        Ok(Self { rtc, pending, mid, socket, offer: offer.to_sdp_string(), settings })
    }

    /// The SDP offer to POST to the WHIP endpoint.
    pub fn offer(&self) -> &str {
        &self.offer
    }

    /// Takes the server's answer and starts sending the frames `slot` receives.
    pub fn start(mut self, answer: &str, slot: Arc<FrameSlot>) -> Result<Publisher, MediaError> {
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
            socket: self.socket,
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
