//! Where speech goes, without Bevy: espeak-ng (to the speakers or the headphone jack through
//! `aplay`, or to a WAV file), or a record of what would have been said. A [`Speaker`] thread
//! owns the voice; a newer utterance cuts the one being spoken off, as a screen reader does.

use std::{
    io::Write,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{
        Mutex,
        mpsc::{self, Receiver, RecvTimeoutError, Sender},
    },
    thread,
    time::Duration,
};

use i18n::Language;

/// espeak-ng's voice for each UI language.
pub fn espeak_voice(language: Language) -> &'static str {
    match language {
        Language::En => "en",
        Language::Es => "es",
        Language::Fr => "fr",
        Language::De => "de",
        Language::It => "it",
        Language::Pt => "pt",
        Language::Ja => "ja",
        Language::ZhHans => "cmn",
        Language::Ar => "ar",
    }
}

/// Something that speaks. `say` starts speaking and returns; `busy` says whether it still is;
/// `hush` stops it.
pub trait Voice: Send {
    fn say(&mut self, text: &str, language: Language) -> Result<(), String>;
    fn busy(&mut self) -> bool;
    fn hush(&mut self);
}

/// espeak-ng, played by aplay on `device` (empty: the default), or written to `wav`.
pub struct Espeak {
    device: String,
    wav: Option<PathBuf>,
    playing: Vec<Child>,
}

impl Espeak {
    pub fn to_device(device: &str) -> Self {
        Self { device: device.to_string(), wav: None, playing: Vec::new() }
    }

    pub fn to_file(wav: PathBuf) -> Self {
        Self { device: String::new(), wav: Some(wav), playing: Vec::new() }
    }
}

impl Voice for Espeak {
    fn say(&mut self, text: &str, language: Language) -> Result<(), String> {
        self.hush();
        let mut espeak = Command::new("espeak-ng");
        espeak.args(["-v", espeak_voice(language), "-s", "160"]);
        let spawn_error = |e: std::io::Error| format!("espeak-ng: {e} (install the Debian package espeak-ng)");
        if let Some(wav) = &self.wav {
            let child = espeak.arg("-w").arg(wav).arg("--").arg(text).stderr(Stdio::null()).spawn();
            self.playing.push(child.map_err(spawn_error)?);
            return Ok(());
        }
        let mut speech = espeak
            .arg("--stdout")
            .arg("--")
            .arg(text)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(spawn_error)?;
        let Some(audio) = speech.stdout.take() else { return Err("espeak-ng gave no audio".into()) };
        let mut aplay = Command::new("aplay");
        aplay.arg("-q");
        if !self.device.is_empty() {
            aplay.args(["-D", &self.device]);
        }
        let player = aplay.stdin(audio).stderr(Stdio::null()).spawn();
        self.playing.push(speech);
        self.playing.push(player.map_err(|e| format!("aplay: {e} (install the Debian package alsa-utils)"))?);
        Ok(())
    }

    fn busy(&mut self) -> bool {
        self.playing.retain_mut(|child| matches!(child.try_wait(), Ok(None)));
        !self.playing.is_empty()
    }

    fn hush(&mut self) {
        for mut child in self.playing.drain(..) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Appends `language<TAB>text` lines to a file: what a shopper would have heard.
pub struct Record {
    file: PathBuf,
}

impl Record {
    pub fn new(file: PathBuf) -> Self {
        Self { file }
    }
}

impl Voice for Record {
    fn say(&mut self, text: &str, language: Language) -> Result<(), String> {
        let line = format!("{}\t{}\n", language.tag(), text.replace(['\n', '\t'], " "));
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.file)
            .and_then(|mut f| f.write_all(line.as_bytes()))
            .map_err(|e| format!("{}: {e}", self.file.display()))
    }

    fn busy(&mut self) -> bool {
        false
    }

    fn hush(&mut self) {}
}

/// The voice on its own thread: `say` never waits, and the newest utterance wins.
pub struct Speaker {
    utterances: Sender<Option<(String, Language)>>,
    failures: Mutex<Receiver<String>>,
}

impl Speaker {
    pub fn spawn(mut voice: Box<dyn Voice>) -> Result<Self, String> {
        let (utterances, wanted) = mpsc::channel::<Option<(String, Language)>>();
        let (failed, failures) = mpsc::channel();
        thread::Builder::new()
            .name("speech".into())
            .spawn(move || {
                let mut next = wanted.recv().ok();
                while let Some(utterance) = next.take() {
                    match utterance {
                        Some((text, language)) => {
                            if let Err(e) = voice.say(&text, language) {
                                let _ = failed.send(e);
                            }
                        }
                        None => voice.hush(),
                    }
                    // Wait for the next one, cutting this one off when it comes.
                    loop {
                        match wanted.recv_timeout(Duration::from_millis(20)) {
                            Ok(newer) => {
                                next = Some(newer);
                                break;
                            }
                            Err(RecvTimeoutError::Timeout) if voice.busy() => continue,
                            Err(RecvTimeoutError::Timeout) => match wanted.recv() {
                                Ok(newer) => {
                                    next = Some(newer);
                                    break;
                                }
                                Err(_) => return voice.hush(),
                            },
                            Err(RecvTimeoutError::Disconnected) => return voice.hush(),
                        }
                    }
                }
            })
            .map_err(|e| format!("cannot start the speech thread: {e}"))?;
        Ok(Self { utterances, failures: Mutex::new(failures) })
    }

    pub fn say(&self, text: String, language: Language) {
        let _ = self.utterances.send(Some((text, language)));
    }

    /// Stops what is being said (the session ended).
    pub fn hush(&self) {
        let _ = self.utterances.send(None);
    }

    pub fn failure(&self) -> Option<String> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).try_recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sox's RMS amplitude of a WAV file.
    fn rms(wav: &std::path::Path) -> f32 {
        let out = Command::new("sox").arg(wav).args(["-n", "stat"]).output();
        let out = out.unwrap_or_else(|e| panic!("sox: {e} (scripts/test.sh installs the Debian package sox)"));
        let report = String::from_utf8_lossy(&out.stderr).to_string();
        let line = report.lines().find(|l| l.starts_with("RMS     amplitude")).unwrap_or_else(|| panic!("{report}"));
        line.rsplit(' ').next().and_then(|v| v.trim().parse().ok()).unwrap_or_else(|| panic!("{line}"))
    }

    #[test]
    fn espeak_ng_speaks_each_language_into_audio_that_is_not_silent() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let strings = i18n::Strings::load().unwrap_or_else(|e| panic!("{e}"));
        for language in [Language::En, Language::Ja, Language::Ar, Language::De] {
            let wav = dir.path().join(format!("{}.wav", language.tag()));
            let mut voice = Espeak::to_file(wav.clone());
            let text = strings.format(language, &i18n::Phrase::new("still-there-title"));
            voice.say(&text, language).unwrap_or_else(|e| panic!("{e}"));
            while voice.busy() {
                thread::sleep(Duration::from_millis(20));
            }
            let loudness = rms(&wav);
            assert!(loudness > 0.01, "{language}: {text:?} came out silent (RMS {loudness})");
        }
    }

    #[test]
    fn a_newer_utterance_cuts_the_older_off_and_the_record_keeps_the_language() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("said.txt");
        let speaker = Speaker::spawn(Box::new(Record::new(file.clone()))).unwrap_or_else(|e| panic!("{e}"));
        speaker.say("Share".into(), Language::En);
        speaker.say("共有".into(), Language::Ja);
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let said = loop {
            let said = std::fs::read_to_string(&file).unwrap_or_default();
            if said.lines().count() >= 2 || std::time::Instant::now() > deadline {
                break said;
            }
            thread::sleep(Duration::from_millis(10));
        };
        assert_eq!(said, "en\tShare\nja\t共有\n");
        assert!(speaker.failure().is_none());
    }
}
