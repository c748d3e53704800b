//! Keys on the Maintenance screen while no text field has the keyboard: a code typed by hand "into
//! nothing" followed by Enter, and ↑/↓ with Enter or Space on the board. A scanner's keys never get
//! here: the shell's scan gate (`ui::scanner`) takes them first, wherever they arrive.

use super::forms::MaintenanceForms;
use super::{MaintenanceCommand, MaintenancePage, MaintenanceView};
use crate::domain::scan::ScanCode;
use eframe::egui::{self, Event, Key, Modifiers};

pub fn keys(
    ctx: &egui::Context,
    view: &MaintenanceView,
    forms: &mut MaintenanceForms,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    if ctx.text_edit_focused() {
        // Typing in a field is the field's text.
        forms.scan.clear();
        return;
    }
    let events = ctx.input(|i| i.events.clone());
    let mut typed_code = false;
    for event in &events {
        match event {
            Event::Text(text) => {
                for c in text.chars() {
                    feed(&mut forms.scan, c);
                }
            }
            Event::Key {
                key: Key::Enter,
                pressed: true,
                ..
            } if !forms.scan.is_empty() => {
                // Enter after typing is "record this code", never "mark the chosen row done".
                match ScanCode::parse(&forms.scan) {
                    Some(code) => push(MaintenanceCommand::Scanned(code)),
                    None => push(MaintenanceCommand::ScannedOther(forms.scan.clone())),
                }
                typed_code = true;
                forms.scan.clear();
            }
            Event::Key {
                key: Key::ArrowUp | Key::ArrowDown | Key::Escape | Key::Space,
                pressed: true,
                ..
            } => forms.scan.clear(),
            _ => {}
        }
    }
    if typed_code {
        ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
        return;
    }
    let form_open = forms.work.is_some() || forms.scanned.is_some();
    // A focused button takes Enter and Space itself.
    let nothing_focused = ctx.memory(|m| m.focused()).is_none();
    if view.page != MaintenancePage::Board || form_open || !nothing_focused {
        return;
    }
    let (down, up, enter, space) = ctx.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.consume_key(Modifiers::NONE, Key::Enter),
            i.consume_key(Modifiers::NONE, Key::Space),
        )
    });
    if down {
        push(MaintenanceCommand::Move(1));
    }
    if up {
        push(MaintenanceCommand::Move(-1));
    }
    if (enter || space) && !view.board.is_empty() {
        push(MaintenanceCommand::DoneChosen);
    }
}

/// Add `c` to what was typed so far (a code typed by hand is short; more is not kept).
fn feed(buffer: &mut String, c: char) {
    if c.is_control() || buffer.chars().count() >= 64 {
        return;
    }
    buffer.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_is_kept_short_and_printable() {
        let mut b = String::new();
        for c in "PD7-20261201\r".chars() {
            feed(&mut b, c);
        }
        assert_eq!(b, "PD7-20261201");
        for _ in 0..100 {
            feed(&mut b, 'x');
        }
        assert_eq!(b.chars().count(), 64);
    }
}
