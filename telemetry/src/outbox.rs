//! The durable outbox: usage events wait here, on disk, until the broker has acknowledged them.
//!
//! Layout of the outbox directory:
//! - `NNNNNNNNNNNNNNNNNNNN.seg`: append-only segment files named after their first sequence number.
//!   Each record is `len: u32 LE | crc32: u32 LE | seq: u64 LE | payload[len]`, the checksum
//!   covering `seq` and the payload.
//! - `state.json`: the acknowledged watermark (every event up to it is acknowledged), the next
//!   sequence number and the drop and corruption counters; replaced atomically (write, fsync,
//!   rename).
//! - `corrupt/`: torn or damaged tails set aside when the outbox was opened (after a power cut).
//!
//! Rules: an event is written (and, by [`Outbox::sync`], fsynced) before anyone may publish it; it
//! leaves only when acknowledged ([`Outbox::ack`]) or when the outbox is over its size limit, which
//! drops whole segments oldest first and counts the events it dropped. Every event gets the next
//! sequence number, which survives restarts. After a crash, events acknowledged since the last
//! state write are sent again: consumers drop duplicates by event id.

use std::{
    collections::{BTreeSet, VecDeque},
    fs::{self, File, OpenOptions},
    io::{self, Read, Write},
    os::unix::fs::FileExt,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

const HEADER: usize = 16;
/// No single event comes near this; a bigger length field means a damaged record.
pub const MAX_RECORD: usize = 256 * 1024;

/// Size limits of an outbox.
#[derive(Debug, Clone, Copy)]
pub struct OutboxLimits {
    /// The most bytes all segments may hold together.
    pub max_bytes: u64,
    /// A segment is closed and a new one started past this size.
    pub segment_bytes: u64,
}

impl OutboxLimits {
    /// `max_bytes` split into segments of at most 1 MiB and at least 8 per outbox.
    pub fn with_max_bytes(max_bytes: u64) -> Self {
        Self { max_bytes, segment_bytes: (max_bytes / 8).clamp(4096, 1 << 20) }
    }
}

/// One stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub seq: u64,
    pub payload: Vec<u8>,
}

/// Counters for health reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxStats {
    /// Events on disk not yet acknowledged.
    pub depth: u64,
    pub bytes: u64,
    /// Events dropped (oldest first) because the outbox was full, ever.
    pub dropped: u64,
    /// Damaged tails set aside when opening, ever.
    pub corrupt: u64,
    /// The sequence number the next event gets.
    pub next_seq: u64,
}

/// What opening found, for the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenReport {
    /// Events waiting to be sent.
    pub pending: u64,
    /// Damaged tails moved to `corrupt/` (file names).
    pub set_aside: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
struct PersistentState {
    acked_through: u64,
    next_seq: u64,
    dropped: u64,
    corrupt: u64,
}

#[derive(Debug)]
struct Segment {
    first_seq: u64,
    last_seq: u64,
    path: PathBuf,
    bytes: u64,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    seq: u64,
    /// `first_seq` of the segment holding it.
    segment: u64,
    offset: u64,
    len: u32,
}

/// The outbox. Single owner; share it behind a mutex.
#[derive(Debug)]
pub struct Outbox {
    dir: PathBuf,
    limits: OutboxLimits,
    /// Oldest first; the last one takes appends.
    segments: VecDeque<Segment>,
    active: Option<File>,
    /// Every stored event above the watermark, in sequence order.
    index: VecDeque<Entry>,
    acked_above: BTreeSet<u64>,
    state: PersistentState,
    state_dirty: bool,
    data_unsynced: bool,
    dir_unsynced: bool,
}

impl Outbox {
    /// Opens (or creates) the outbox in `dir`, repairing what a crash or power cut left behind.
    pub fn open(dir: &Path, limits: OutboxLimits) -> io::Result<(Self, OpenReport)> {
        fs::create_dir_all(dir)?;
        let mut report = OpenReport::default();
        let mut state = read_state(dir, &mut report)?;
        let mut names: Vec<(u64, PathBuf)> = fs::read_dir(dir)?
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| {
                let path = entry.path();
                let first = path.file_name()?.to_str()?.strip_suffix(".seg")?.parse::<u64>().ok()?;
                Some((first, path))
            })
            .collect();
        names.sort();
        let mut segments = VecDeque::new();
        let mut index = VecDeque::new();
        let mut last_seen = state.acked_through;
        for (first_seq, path) in names {
            let (entries, good_len, total_len) = scan_segment(&path, first_seq)?;
            if good_len < total_len {
                let name = set_aside(dir, &path, good_len)?;
                state.corrupt += 1;
                report.set_aside.push(name);
            }
            let Some(last) = entries.last().map(|e: &Entry| e.seq) else {
                fs::remove_file(&path)?;
                continue;
            };
            last_seen = last_seen.max(last);
            if last <= state.acked_through {
                fs::remove_file(&path)?;
                continue;
            }
            index.extend(entries.into_iter().filter(|e| e.seq > state.acked_through));
            segments.push_back(Segment { first_seq, last_seq: last, path, bytes: good_len });
        }
        state.next_seq = state.next_seq.max(last_seen + 1).max(state.acked_through + 1);
        report.pending = index.len() as u64;
        let mut outbox = Self {
            dir: dir.to_path_buf(),
            limits,
            segments,
            active: None,
            index,
            acked_above: BTreeSet::new(),
            state,
            state_dirty: true,
            data_unsynced: false,
            dir_unsynced: true,
        };
        outbox.checkpoint()?;
        Ok((outbox, report))
    }

    /// Appends one event; `payload_for` receives its sequence number. The event is in the file
    /// (it survives the process being killed) when this returns; [`Outbox::sync`] makes it survive
    /// a power cut.
    pub fn append(&mut self, payload_for: impl FnOnce(u64) -> Vec<u8>) -> io::Result<u64> {
        let seq = self.state.next_seq;
        let payload = payload_for(seq);
        if payload.len() > MAX_RECORD {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("event of {} bytes", payload.len())));
        }
        let record_len = (HEADER + payload.len()) as u64;
        let needs_new =
            self.segments.back().is_none_or(|s| s.bytes > 0 && s.bytes + record_len > self.limits.segment_bytes);
        if needs_new || self.active.is_none() {
            self.start_segment(seq, needs_new)?;
        }
        let (Some(segment), Some(file)) = (self.segments.back_mut(), self.active.as_mut()) else {
            return Err(io::Error::other("outbox has no active segment"));
        };
        let mut record = Vec::with_capacity(record_len as usize);
        record.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        record.extend_from_slice(&checksum(seq, &payload).to_le_bytes());
        record.extend_from_slice(&seq.to_le_bytes());
        record.extend_from_slice(&payload);
        if let Err(e) = file.write_all(&record) {
            // Keep the file a sequence of whole records.
            let _ = file.set_len(segment.bytes);
            return Err(e);
        }
        self.index.push_back(Entry {
            seq,
            segment: segment.first_seq,
            offset: segment.bytes,
            len: payload.len() as u32,
        });
        segment.bytes += record_len;
        segment.last_seq = seq;
        self.state.next_seq = seq + 1;
        self.data_unsynced = true;
        self.enforce_limit()?;
        Ok(seq)
    }

    /// Flushes appended events to stable storage (fsync); call before publishing them.
    pub fn sync(&mut self) -> io::Result<()> {
        if self.data_unsynced {
            if let Some(file) = &self.active {
                file.sync_data()?;
            }
            self.data_unsynced = false;
        }
        if self.dir_unsynced {
            File::open(&self.dir)?.sync_all()?;
            self.dir_unsynced = false;
        }
        Ok(())
    }

    /// Also saves the acknowledged watermark and counters (atomically). Acknowledgements not yet
    /// saved only cost duplicates after a crash, so this runs on a timer, not per ack.
    pub fn checkpoint(&mut self) -> io::Result<()> {
        self.sync()?;
        if self.state_dirty {
            write_state(&self.dir, &self.state)?;
            self.state_dirty = false;
        }
        Ok(())
    }

    /// Up to `max` stored events with sequence numbers from `from_seq` on, oldest first.
    pub fn read_from(&self, from_seq: u64, max: usize) -> io::Result<Vec<Record>> {
        let start = self.index.partition_point(|e| e.seq < from_seq);
        let mut records = Vec::new();
        let mut open: Option<(u64, File)> = None;
        for entry in self.index.iter().skip(start).filter(|e| !self.acked_above.contains(&e.seq)).take(max) {
            if open.as_ref().is_none_or(|(first, _)| *first != entry.segment) {
                let segment = self.segments.iter().find(|s| s.first_seq == entry.segment);
                let path = segment.map(|s| s.path.clone()).ok_or_else(|| io::Error::other("segment missing"))?;
                open = Some((entry.segment, File::open(path)?));
            }
            let Some((_, file)) = &open else { continue };
            let mut payload = vec![0; entry.len as usize];
            file.read_exact_at(&mut payload, entry.offset + HEADER as u64)?;
            records.push(Record { seq: entry.seq, payload });
        }
        Ok(records)
    }

    /// The broker has event `seq`. Once every event up to a segment's end is acknowledged, the
    /// segment is deleted.
    pub fn ack(&mut self, seq: u64) -> io::Result<()> {
        if seq <= self.state.acked_through || self.index.binary_search_by_key(&seq, |e| e.seq).is_err() {
            return Ok(());
        }
        self.acked_above.insert(seq);
        let before = self.state.acked_through;
        // The watermark advances over acknowledged events and over gaps no stored event fills.
        while let Some(front) = self.index.front().copied() {
            if !self.acked_above.remove(&front.seq) {
                break;
            }
            self.index.pop_front();
            self.state.acked_through = front.seq;
        }
        if self.index.is_empty() {
            self.state.acked_through = self.state.next_seq - 1;
            self.acked_above.clear();
        }
        if self.state.acked_through != before {
            self.state_dirty = true;
            self.delete_acked_segments()?;
        }
        Ok(())
    }

    /// The oldest unacknowledged sequence number, where a fresh connection starts sending.
    pub fn first_unacked(&self) -> u64 {
        self.index.iter().find(|e| !self.acked_above.contains(&e.seq)).map_or(self.state.next_seq, |e| e.seq)
    }

    pub fn stats(&self) -> OutboxStats {
        OutboxStats {
            depth: (self.index.len() - self.acked_above.len()) as u64,
            bytes: self.segments.iter().map(|s| s.bytes).sum(),
            dropped: self.state.dropped,
            corrupt: self.state.corrupt,
            next_seq: self.state.next_seq,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn start_segment(&mut self, first_seq: u64, new: bool) -> io::Result<()> {
        if new {
            if self.data_unsynced
                && let Some(file) = &self.active
            {
                file.sync_data()?;
            }
            let path = self.dir.join(format!("{first_seq:020}.seg"));
            self.segments.push_back(Segment { first_seq, last_seq: first_seq.saturating_sub(1), path, bytes: 0 });
            self.dir_unsynced = true;
        }
        let Some(segment) = self.segments.back() else { return Err(io::Error::other("no segment")) };
        self.active = Some(OpenOptions::new().create(true).append(true).open(&segment.path)?);
        Ok(())
    }

    fn enforce_limit(&mut self) -> io::Result<()> {
        while self.segments.len() > 1 && self.stats().bytes > self.limits.max_bytes {
            let Some(oldest) = self.segments.pop_front() else { break };
            let mut dropped = 0;
            while self.index.front().is_some_and(|e| e.segment == oldest.first_seq) {
                if let Some(entry) = self.index.pop_front()
                    && !self.acked_above.remove(&entry.seq)
                {
                    dropped += 1;
                }
            }
            self.state.dropped += dropped;
            self.state.acked_through = self.state.acked_through.max(oldest.last_seq);
            // The drop count must not be lost: save it before the events go.
            write_state(&self.dir, &self.state)?;
            fs::remove_file(&oldest.path)?;
            self.dir_unsynced = true;
            tracing::warn!(dropped, "outbox full ({} bytes): dropped its oldest segment", self.limits.max_bytes);
        }
        Ok(())
    }

    /// Deletes fully acknowledged segments except the one taking appends, which keeps the highest
    /// sequence number on disk even when the saved state lags behind.
    fn delete_acked_segments(&mut self) -> io::Result<()> {
        while self.segments.len() > 1 && self.segments.front().is_some_and(|s| s.last_seq <= self.state.acked_through) {
            let Some(segment) = self.segments.pop_front() else { break };
            fs::remove_file(&segment.path)?;
            self.dir_unsynced = true;
        }
        Ok(())
    }
}

fn checksum(seq: u64, payload: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&seq.to_le_bytes());
    hasher.update(payload);
    hasher.finalize()
}

/// Reads a segment's records; returns them, the length of the intact prefix and the file length.
fn scan_segment(path: &Path, first_seq: u64) -> io::Result<(Vec<Entry>, u64, u64)> {
    let mut bytes = Vec::new();
    File::open(path)?.read_to_end(&mut bytes)?;
    let mut entries = Vec::new();
    let mut offset = 0usize;
    let mut previous = first_seq.saturating_sub(1);
    while offset + HEADER <= bytes.len() {
        let field = |at: usize, n: usize| &bytes[offset + at..offset + at + n];
        let len = u32::from_le_bytes(field(0, 4).try_into().unwrap_or_default()) as usize;
        let crc = u32::from_le_bytes(field(4, 4).try_into().unwrap_or_default());
        let seq = u64::from_le_bytes(field(8, 8).try_into().unwrap_or_default());
        if len > MAX_RECORD || offset + HEADER + len > bytes.len() || seq <= previous {
            break;
        }
        let payload = &bytes[offset + HEADER..offset + HEADER + len];
        if checksum(seq, payload) != crc {
            break;
        }
        entries.push(Entry { seq, segment: first_seq, offset: offset as u64, len: len as u32 });
        previous = seq;
        offset += HEADER + len;
    }
    Ok((entries, offset as u64, bytes.len() as u64))
}

/// Moves the bytes of `path` from `good_len` on into `corrupt/` and truncates the segment there.
fn set_aside(dir: &Path, path: &Path, good_len: u64) -> io::Result<String> {
    let corrupt_dir = dir.join("corrupt");
    fs::create_dir_all(&corrupt_dir)?;
    let mut bytes = Vec::new();
    File::open(path)?.read_to_end(&mut bytes)?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("segment");
    let name = format!("{stem}.at-{good_len}.bad");
    fs::write(corrupt_dir.join(&name), &bytes[good_len as usize..])?;
    let file = OpenOptions::new().write(true).open(path)?;
    file.set_len(good_len)?;
    file.sync_all()?;
    tracing::warn!(segment = %path.display(), kept = good_len, "outbox: damaged tail set aside as corrupt/{name}");
    Ok(name)
}

fn read_state(dir: &Path, report: &mut OpenReport) -> io::Result<PersistentState> {
    let path = dir.join("state.json");
    match fs::read(&path) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(state) => Ok(state),
            Err(e) => {
                tracing::warn!("outbox: {} is damaged ({e}); starting from the segments", path.display());
                let corrupt_dir = dir.join("corrupt");
                fs::create_dir_all(&corrupt_dir)?;
                fs::rename(&path, corrupt_dir.join("state.json.bad"))?;
                report.set_aside.push("state.json.bad".into());
                Ok(PersistentState::default())
            }
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(PersistentState::default()),
        Err(e) => Err(e),
    }
}

fn write_state(dir: &Path, state: &PersistentState) -> io::Result<()> {
    let temp = dir.join("state.json.tmp");
    let mut file = File::create(&temp)?;
    file.write_all(&serde_json::to_vec(state).map_err(io::Error::other)?)?;
    file.sync_all()?;
    fs::rename(&temp, dir.join("state.json"))?;
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &Path, limits: OutboxLimits) -> (Outbox, OpenReport) {
        Outbox::open(dir, limits).unwrap_or_else(|e| panic!("open {}: {e}", dir.display()))
    }

    fn roomy() -> OutboxLimits {
        OutboxLimits { max_bytes: 1 << 20, segment_bytes: 256 }
    }

    fn append(outbox: &mut Outbox, text: &str) -> u64 {
        outbox.append(|seq| format!("{text}#{seq}").into_bytes()).unwrap_or_else(|e| panic!("append: {e}"))
    }

    fn seqs(outbox: &Outbox) -> Vec<u64> {
        outbox.read_from(0, usize::MAX).unwrap_or_default().iter().map(|r| r.seq).collect()
    }

    fn segment_files(dir: &Path) -> usize {
        fs::read_dir(dir)
            .map(|d| d.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "seg")).count())
            .unwrap_or(0)
    }

    #[test]
    fn events_come_back_in_order_and_leave_when_acknowledged() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (mut outbox, report) = open(dir.path(), roomy());
        assert_eq!(report, OpenReport::default());
        for i in 0..20 {
            assert_eq!(append(&mut outbox, "event"), i + 1);
        }
        outbox.sync().unwrap_or_else(|e| panic!("{e}"));
        assert!(segment_files(dir.path()) >= 2, "small segments roll over");
        let records = outbox.read_from(5, 3).unwrap_or_default();
        assert_eq!(
            records,
            (5..8).map(|seq| Record { seq, payload: format!("event#{seq}").into_bytes() }).collect::<Vec<_>>()
        );
        // Acknowledgements out of order only move the watermark once the gap closes.
        for seq in [2, 3, 1] {
            outbox.ack(seq).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(outbox.first_unacked(), 4);
        outbox.ack(10).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(outbox.stats().depth, 16);
        assert!(!seqs(&outbox).contains(&10), "acknowledged events are not read again");
        for seq in 1..=20 {
            outbox.ack(seq).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(outbox.stats().depth, 0);
        assert_eq!(segment_files(dir.path()), 1, "fully acknowledged segments are deleted but the active one");
        assert_eq!(append(&mut outbox, "after"), 21);
    }

    #[test]
    fn a_restart_keeps_unacknowledged_events_and_the_sequence() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        {
            let (mut outbox, _) = open(dir.path(), roomy());
            for _ in 0..10 {
                append(&mut outbox, "e");
            }
            outbox.sync().unwrap_or_else(|e| panic!("{e}"));
            for seq in 1..=4 {
                outbox.ack(seq).unwrap_or_else(|e| panic!("{e}"));
            }
            outbox.checkpoint().unwrap_or_else(|e| panic!("{e}"));
            // Appended after the last sync, as if the process were killed now: the write is in
            // the file, the state is not.
            append(&mut outbox, "e");
            outbox.ack(5).unwrap_or_else(|e| panic!("{e}"));
        }
        let (mut outbox, report) = open(dir.path(), roomy());
        assert_eq!(seqs(&outbox), (5..=11).collect::<Vec<_>>(), "event 5's ack was not saved: it is sent again");
        assert_eq!(report.pending, 7);
        assert_eq!(append(&mut outbox, "e"), 12);
    }

    #[test]
    fn a_torn_tail_is_set_aside_and_the_rest_kept() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = {
            let (mut outbox, _) = open(dir.path(), OutboxLimits { max_bytes: 1 << 20, segment_bytes: 1 << 16 });
            for _ in 0..5 {
                append(&mut outbox, "event");
            }
            outbox.sync().unwrap_or_else(|e| panic!("{e}"));
            outbox.segments[0].path.clone()
        };
        // A power cut in the middle of the sixth record: its header and half its payload.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap_or_else(|e| panic!("{e}"));
        file.write_all(&[9, 0, 0, 0, 1, 2, 3, 4, 6, 0, 0, 0, 0, 0, 0, 0, b'h', b'a']).unwrap_or_else(|e| panic!("{e}"));
        drop(file);
        let (mut outbox, report) = open(dir.path(), roomy());
        assert_eq!(seqs(&outbox), vec![1, 2, 3, 4, 5]);
        assert_eq!(report.set_aside.len(), 1);
        assert_eq!(outbox.stats().corrupt, 1);
        assert!(dir.path().join("corrupt").join(&report.set_aside[0]).exists());
        assert_eq!(append(&mut outbox, "event"), 6, "the sequence continues after the intact records");

        // A flipped bit in a middle record: that record and what follows in its segment go aside.
        let bytes = fs::read(&path).unwrap_or_default();
        let mut damaged = bytes.clone();
        let second_payload = 2 * HEADER + "event#1".len() + 2;
        damaged[second_payload] ^= 0x40;
        fs::write(&path, damaged).unwrap_or_else(|e| panic!("{e}"));
        drop(outbox);
        let (outbox, _) = open(dir.path(), roomy());
        assert_eq!(seqs(&outbox), vec![1]);
        assert_eq!(outbox.stats().corrupt, 2);
    }

    #[test]
    fn a_damaged_state_file_is_not_fatal() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        {
            let (mut outbox, _) = open(dir.path(), roomy());
            append(&mut outbox, "e");
            outbox.sync().unwrap_or_else(|e| panic!("{e}"));
        }
        fs::write(dir.path().join("state.json"), b"{\"acked_thr").unwrap_or_else(|e| panic!("{e}"));
        let (outbox, report) = open(dir.path(), roomy());
        assert_eq!(seqs(&outbox), vec![1]);
        assert_eq!(report.set_aside, vec!["state.json.bad".to_string()]);
    }

    #[test]
    fn a_full_outbox_drops_the_oldest_and_counts_them() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let limits = OutboxLimits { max_bytes: 1024, segment_bytes: 256 };
        let (mut outbox, _) = open(dir.path(), limits);
        for _ in 0..200 {
            append(&mut outbox, "event");
        }
        let stats = outbox.stats();
        assert!(stats.bytes <= limits.max_bytes + limits.segment_bytes, "{stats:?}");
        assert_eq!(stats.depth + stats.dropped, 200, "every event is either kept or counted: {stats:?}");
        assert!(stats.dropped > 100);
        let kept = seqs(&outbox);
        assert_eq!(kept.last(), Some(&200), "the newest are kept");
        assert_eq!(kept.first(), Some(&(stats.dropped + 1)), "the oldest went first");
        outbox.sync().unwrap_or_else(|e| panic!("{e}"));
        drop(outbox);
        let (outbox, _) = open(dir.path(), limits);
        assert_eq!(outbox.stats().dropped, stats.dropped, "the drop count survives a restart");
    }
}
