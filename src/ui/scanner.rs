//! A till scanner is a keyboard: it types a barcode one key at a time, 1–20 ms apart (capitals with
//! Shift), usually followed by Enter or Tab, into whatever has the focus. The gate reads the frame's
//! raw events before any screen or widget sees them and holds back printable characters for a moment:
//! what arrives at scanner speed and has the shape of a code becomes one scan (a checklist line is
//! recorded; a product barcode or anything else is reported and changes nothing), and its Enter or Tab
//! goes nowhere. What a person types is let through a few milliseconds later, in order, unchanged.
//!
//! Only keystrokes count: a `Text` event of several characters is an input method's commit or a paste,
//! never a scanner, and passes straight on.

use crate::domain::scan::{ScanCode, is_product_code};
use eframe::egui::{self, Event, Key};

/// The longest pause between two characters of one scan, in seconds. Scanners type 1–20 ms apart; a
/// person rarely types two keys within 50 ms and never a whole code that way.
pub const MAX_GAP: f64 = 0.05;

/// A burst this long at scanner speed and ended by the scanner's Enter or Tab is a scanner's, whatever
/// it says (a QR code's address): it does not reach a text field. Without the Enter or Tab it is
/// typing: on a slow PC (software rendering) a person's keys pile up in one frame and look as fast as a
/// scanner's, and a clerk's search word must never be eaten.
const MIN_UNKNOWN_BURST: usize = 8;

/// What a burst of scanner input was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// A printed checklist line.
    Checklist(ScanCode),
    /// A product barcode (EAN/UPC), or anything else a scanner typed: not a checklist code.
    Other(String),
}

/// The characters held back and when they came.
#[derive(Debug, Default)]
pub struct ScanGate {
    held: String,
    /// Frame time of the last character held.
    last_at: f64,
    /// A scan that completed by its shape swallows the Enter or Tab the scanner sends right after.
    swallow_until: f64,
}

/// A key a scanner presses to type a character of a code (its text comes as a `Text` event).
fn is_char_key(key: Key) -> bool {
    let name = key.symbol_or_name();
    key == Key::Minus
        || (name.chars().count() == 1 && name.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A character the gate holds back: printable ASCII but space, and the full-width forms a Chinese
/// input method in full-width mode turns them into.
fn holdable(c: char) -> bool {
    c.is_ascii_graphic() || ('\u{FF01}'..='\u{FF5E}').contains(&c)
}

impl ScanGate {
    /// Take this frame's scanner input out of the events; returns the scans completed this frame.
    /// Call first thing in the frame, before any widget reads the input.
    pub fn filter(&mut self, ctx: &egui::Context) -> Vec<Scanned> {
        let mut scans = Vec::new();
        let mut touched = false;
        ctx.input_mut(|i| {
            let now = i.time;
            let events = std::mem::take(&mut i.events);
            // Characters arriving this frame: with a slow frame, a scanner's keys pile up in one frame,
            // so the pace is the time since the last one over how many came.
            let arriving = events
                .iter()
                .filter(|e| matches!(e, Event::Text(t) if single_holdable(t)))
                .count();
            let mut out = Vec::with_capacity(events.len());
            let mut first_of_frame = true;
            // A key held down repeats its character ~30 times a second: a person, not a scanner.
            let mut repeating = false;
            for event in events {
                match &event {
                    Event::Key {
                        key,
                        pressed: true,
                        repeat: true,
                        ..
                    } if is_char_key(*key) => {
                        repeating = true;
                        if !self.held.is_empty() {
                            self.resolve(false, now, &mut out, &mut scans);
                        }
                        out.push(event);
                    }
                    Event::Text(_) if repeating => {
                        repeating = false;
                        out.push(event);
                    }
                    Event::Text(t) if single_holdable(t) => {
                        if first_of_frame && !self.held.is_empty() {
                            let pace = (now - self.last_at) / arriving.max(1) as f64;
                            if pace > MAX_GAP {
                                self.resolve(false, now, &mut out, &mut scans);
                            }
                        }
                        first_of_frame = false;
                        self.held.push_str(t);
                        self.last_at = now;
                        touched = true;
                        if let Some(code) = ScanCode::parse(&self.held)
                            && complete(&self.held)
                        {
                            // Complete by its shape: no need to wait for more.
                            scans.push(Scanned::Checklist(code));
                            self.held.clear();
                            self.swallow_until = now + MAX_GAP;
                        }
                    }
                    Event::Key {
                        key: Key::Enter | Key::Tab,
                        pressed,
                        modifiers,
                        ..
                    } if !modifiers.ctrl && !modifiers.alt && !modifiers.command => {
                        if !self.held.is_empty() {
                            touched = true;
                            if *pressed {
                                let swallowed = self.resolve(true, now, &mut out, &mut scans);
                                if !swallowed {
                                    out.push(event);
                                }
                            }
                            // A release with characters held belongs to the scan.
                        } else if now <= self.swallow_until {
                            touched = true;
                        } else {
                            out.push(event);
                        }
                    }
                    Event::Key { key, modifiers, .. }
                        if is_char_key(*key)
                            && !modifiers.ctrl
                            && !modifiers.alt
                            && !modifiers.command =>
                    {
                        // The text comes as its own event; the key itself nobody reads, and while a
                        // scan is held it must not reach a widget either.
                        if self.held.is_empty() && now > self.swallow_until {
                            out.push(event);
                        }
                    }
                    Event::Key {
                        key: Key::ShiftLeft | Key::ShiftRight,
                        ..
                    } => out.push(event),
                    Event::Key { pressed: false, .. } | Event::PointerMoved(_) => out.push(event),
                    Event::Text(_) | Event::Key { .. } | Event::Paste(_) | Event::Ime(_) => {
                        // A person's key or text: what was held goes first, in order.
                        if !self.held.is_empty() {
                            self.resolve(false, now, &mut out, &mut scans);
                        }
                        out.push(event);
                    }
                    _ => out.push(event),
                }
            }
            if !self.held.is_empty() && now - self.last_at > MAX_GAP {
                self.resolve(false, now, &mut out, &mut scans);
            }
            i.events = out;
        });
        if !self.held.is_empty() || touched {
            // Look again at once: a person's key is let through as soon as no scanner key follows.
            ctx.request_repaint();
        }
        scans
    }

    /// What was held is complete: a scan (swallowed, with the `terminated` Enter/Tab), or a person's
    /// typing (put back as text, in order). Returns whether it was swallowed.
    fn resolve(
        &mut self,
        terminated: bool,
        now: f64,
        out: &mut Vec<Event>,
        scans: &mut Vec<Scanned>,
    ) -> bool {
        let held = std::mem::take(&mut self.held);
        let chars = held.chars().count();
        let scanned = if let Some(code) = ScanCode::parse(&held) {
            Some(Scanned::Checklist(code))
        } else if is_product_code(&held) || (terminated && chars >= MIN_UNKNOWN_BURST) {
            Some(Scanned::Other(held.clone()))
        } else {
            None
        };
        match scanned {
            Some(s) => {
                scans.push(s);
                if !terminated {
                    self.swallow_until = now + MAX_GAP;
                }
                true
            }
            None => {
                out.extend(held.chars().map(|c| Event::Text(c.to_string())));
                false
            }
        }
    }
}

fn single_holdable(t: &str) -> bool {
    let mut chars = t.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if holdable(c))
}

/// Whether `held` is a whole code that no further character could extend: a text-form code ends with
/// its 8-digit date, a digits-form code has the length its width digit says.
fn complete(held: &str) -> bool {
    ScanCode::parse(held).is_some_and(|code| {
        let folded: String = held
            .chars()
            .map(crate::domain::code::fold_fullwidth)
            .collect();
        folded == code.barcode() || folded.eq_ignore_ascii_case(&code.encode())
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use eframe::egui::Modifiers;

    /// One frame at `time` with `events`: what the gate found, and the events left for the widgets.
    fn frame(
        ctx: &egui::Context,
        gate: &mut ScanGate,
        time: f64,
        events: Vec<Event>,
    ) -> (Vec<Scanned>, Vec<Event>) {
        let mut found = Vec::new();
        let mut left = Vec::new();
        let input = egui::RawInput {
            time: Some(time),
            events,
            ..Default::default()
        };
        let mut output = ctx.run_ui(input, |ui| {
            found = gate.filter(ui.ctx());
            left = ui.ctx().input(|i| i.events.clone());
        });
        output.textures_delta.clear();
        (found, left)
    }

    fn key(key: Key, repeat: bool) -> Event {
        Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat,
            modifiers: Modifiers::NONE,
        }
    }

    fn texts(events: &[Event]) -> String {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_scan_in_one_frame_is_one_code_and_leaves_nothing() {
        let ctx = egui::Context::default();
        let mut gate = ScanGate::default();
        let code = ScanCode::new(42, jiff::civil::date(2026, 12, 6));
        let mut events: Vec<Event> = code
            .barcode()
            .chars()
            .map(|c| Event::Text(c.to_string()))
            .collect();
        events.push(key(Key::Enter, false));
        let (found, left) = frame(&ctx, &mut gate, 1.0, events);
        assert_eq!(found, vec![Scanned::Checklist(code)]);
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_person_typing_gets_every_key_in_order() {
        let ctx = egui::Context::default();
        let mut gate = ScanGate::default();
        let mut typed = String::new();
        let mut t = 1.0;
        for c in "51 pd1".chars() {
            let (found, left) = frame(&ctx, &mut gate, t, vec![Event::Text(c.to_string())]);
            assert!(found.is_empty());
            typed.push_str(&texts(&left));
            t += 0.2;
        }
        let (_, left) = frame(&ctx, &mut gate, t, Vec::new());
        typed.push_str(&texts(&left));
        assert_eq!(typed, "51 pd1");
    }

    #[test]
    fn a_fast_word_on_a_slow_pc_is_typing_not_a_scan() {
        // Software rendering: 100 ms frames, so a clerk's keys 40 ms apart arrive three to a frame and
        // look as fast as a scanner's. Without the scanner's Enter the word reaches the search box.
        let ctx = egui::Context::default();
        let mut gate = ScanGate::default();
        let mut typed = String::new();
        let mut t = 1.0;
        for chunk in ["dan", "bia", "nzh", "ang"] {
            let events = chunk.chars().map(|c| Event::Text(c.to_string())).collect();
            let (found, left) = frame(&ctx, &mut gate, t, events);
            assert!(found.is_empty(), "{found:?}");
            typed.push_str(&texts(&left));
            t += 0.1;
        }
        let (found, left) = frame(&ctx, &mut gate, t + 0.2, Vec::new());
        assert!(found.is_empty(), "{found:?}");
        typed.push_str(&texts(&left));
        assert_eq!(typed, "danbianzhang");
    }

    #[test]
    fn an_unknown_burst_ended_by_the_scanners_enter_is_reported() {
        let ctx = egui::Context::default();
        let mut gate = ScanGate::default();
        let mut events: Vec<Event> = "HTTPS://SHOP.EXAMPLE/PAY"
            .chars()
            .map(|c| Event::Text(c.to_string()))
            .collect();
        events.push(key(Key::Enter, false));
        let (found, left) = frame(&ctx, &mut gate, 1.0, events);
        assert_eq!(
            found,
            vec![Scanned::Other("HTTPS://SHOP.EXAMPLE/PAY".into())]
        );
        assert!(texts(&left).is_empty(), "{left:?}");
    }

    #[test]
    fn a_key_held_down_repeats_into_the_field() {
        let ctx = egui::Context::default();
        let mut gate = ScanGate::default();
        let mut typed = String::new();
        let (_, left) = frame(
            &ctx,
            &mut gate,
            1.0,
            vec![key(Key::A, false), Event::Text("a".into())],
        );
        typed.push_str(&texts(&left));
        for n in 0..12 {
            let t = 1.5 + f64::from(n) * 0.033;
            let (found, left) = frame(
                &ctx,
                &mut gate,
                t,
                vec![key(Key::A, true), Event::Text("a".into())],
            );
            assert!(found.is_empty());
            typed.push_str(&texts(&left));
        }
        let (_, left) = frame(&ctx, &mut gate, 3.0, Vec::new());
        typed.push_str(&texts(&left));
        assert_eq!(typed, "a".repeat(13));
    }

    #[test]
    fn a_product_code_at_scanner_speed_is_reported_not_typed() {
        let ctx = egui::Context::default();
        let mut gate = ScanGate::default();
        let mut t = 1.0;
        let mut left_all = Vec::new();
        for c in "6901234567892".chars() {
            let (found, left) = frame(&ctx, &mut gate, t, vec![Event::Text(c.to_string())]);
            assert!(found.is_empty());
            left_all.extend(left);
            t += 0.002;
        }
        let (found, left) = frame(&ctx, &mut gate, t, vec![key(Key::Enter, false)]);
        assert_eq!(found, vec![Scanned::Other("6901234567892".into())]);
        left_all.extend(left);
        assert!(left_all.is_empty(), "{left_all:?}");
    }
}
