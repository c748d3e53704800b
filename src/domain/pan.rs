//! Card numbers (PANs) never reach the database: every text a clerk types into the journal passes
//! through [`mask_pans`] before it is stored (PCI DSS requirement 3). A PAN is 13–19 digits that pass
//! the Luhn check, written together or in groups split by spaces or dashes; it is cut to its first six
//! and last four digits. Numbers that fail Luhn (order numbers, phone numbers) stay as typed.

use crate::domain::code::fold_fullwidth;

/// Shortest and longest card numbers (ISO/IEC 7812).
const MIN_DIGITS: usize = 13;
const MAX_DIGITS: usize = 19;
/// Most separator characters accepted between two digit groups ("4111 - 1111" still counts).
const MAX_GAP: usize = 3;

/// A text after masking, and how many card numbers were cut out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    pub text: String,
    pub count: usize,
}

impl Masked {
    pub fn masked(&self) -> bool {
        self.count > 0
    }
}

/// Spaces and dashes, half- and full-width (a Chinese input method types the full-width ones).
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '\u{00A0}' | '\u{3000}' | '\u{FF0D}' | '\u{2010}'..='\u{2015}'
    )
}

fn digit(c: char) -> Option<u8> {
    fold_fullwidth(c)
        .to_digit(10)
        .and_then(|d| u8::try_from(d).ok())
}

/// The Luhn (mod 10) check over `digits`, the last one being the check digit.
pub fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// One group of digits: its characters' span in the text (char indices) and its digit values.
struct Group {
    start: usize,
    end: usize,
    digits: Vec<u8>,
}

/// Mask every card number in `text`: `"4111 1111 1111 1111"` becomes `"411111******1111"`.
pub fn mask_pans(text: &str) -> Masked {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let (groups, run_end) = digit_run(&chars, i);
        let mut emitted = i;
        let mut g = 0;
        // Within one run of groups, try the longest card number starting at each group, left to right:
        // two card numbers typed one after the other are both cut.
        while g < groups.len() {
            match longest_pan(&groups[g..]) {
                Some(n) => {
                    let first = &groups[g];
                    let last = &groups[g + n - 1];
                    out.extend(&chars[emitted..first.start]);
                    let digits: Vec<u8> = groups[g..g + n]
                        .iter()
                        .flat_map(|gr| gr.digits.iter().copied())
                        .collect();
                    out.push_str(&masked_form(&digits));
                    emitted = last.end;
                    count += 1;
                    g += n;
                }
                None => g += 1,
            }
        }
        out.extend(&chars[emitted..run_end]);
        i = run_end;
    }
    Masked { text: out, count }
}

/// The digit groups starting at `start`, joined by short runs of separators, and where the run ends
/// (trailing separators are not part of it).
fn digit_run(chars: &[char], start: usize) -> (Vec<Group>, usize) {
    let mut groups = Vec::new();
    let mut i = start;
    loop {
        let g_start = i;
        let mut digits = Vec::new();
        while let Some(d) = chars.get(i).copied().and_then(digit) {
            digits.push(d);
            i += 1;
        }
        groups.push(Group {
            start: g_start,
            end: i,
            digits,
        });
        let mut j = i;
        while j < chars.len() && j - i < MAX_GAP && is_separator(chars[j]) {
            j += 1;
        }
        if j > i && chars.get(j).copied().and_then(digit).is_some() {
            i = j;
        } else {
            return (groups, i);
        }
    }
}

/// How many groups from the start form the longest card number, if any do.
fn longest_pan(groups: &[Group]) -> Option<usize> {
    let mut total = 0;
    let mut best = None;
    for (n, g) in groups.iter().enumerate() {
        total += g.digits.len();
        if total > MAX_DIGITS {
            break;
        }
        if total >= MIN_DIGITS {
            let digits: Vec<u8> = groups[..=n]
                .iter()
                .flat_map(|gr| gr.digits.iter().copied())
                .collect();
            if luhn_valid(&digits) {
                best = Some(n + 1);
            }
        }
    }
    best
}

/// First six, a `*` for each middle digit, last four.
fn masked_form(digits: &[u8]) -> String {
    digits
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if i < 6 || i + 4 >= digits.len() {
                char::from(b'0' + d)
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_grouped_and_plain_card_numbers() {
        let m = mask_pans("card 4111 1111 1111 1111 declined");
        assert_eq!(m.text, "card 411111******1111 declined");
        assert_eq!(m.count, 1);
        assert_eq!(mask_pans("5500-0000-0000-0004").text, "550000******0004");
        assert_eq!(
            mask_pans("Amex 378282246310005.").text,
            "Amex 378282*****0005."
        );
    }

    #[test]
    fn leaves_other_numbers_and_text_alone() {
        for t in [
            "order 1234567890123",
            "call 13800138000",
            "金额 12.50 元",
            "",
            "411111******1111",
        ] {
            let m = mask_pans(t);
            assert_eq!(m.text, t);
            assert!(!m.masked());
        }
    }

    #[test]
    fn masks_full_width_digits_and_two_numbers_in_a_row() {
        assert_eq!(
            mask_pans("卡号４１１１１１１１１１１１１１１１").text,
            "卡号411111******1111"
        );
        let m = mask_pans("4111111111111111 5500000000000004");
        assert_eq!(m.text, "411111******1111 550000******0004");
        assert_eq!(m.count, 2);
    }
}
