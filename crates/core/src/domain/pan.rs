//! Card numbers (PANs) never reach the database: every text any store function writes passes through
//! [`mask_pans`] (by way of `store::guard`) before it is stored (PCI DSS requirement 3). A PAN is 13–19
//! digits that pass the Luhn check; it is cut to its first six and last four digits. Numbers that fail
//! Luhn (order numbers, phone numbers) or are shorter (dates, amounts, versions) stay as typed.
//!
//! A number is read the way a person would read it, however it was pasted: its digits may be in any
//! Unicode decimal script (ASCII, full-width, Arabic-Indic, Devanagari …) and its groups may be split by
//! any run of characters that are neither letters nor digits: spaces of every kind, `.` `/` `_` `,`
//! dashes, tabs, line breaks, zero-width and other invisible characters (soft hyphen, joiners, BOM).
//! Letters end a number. A run of three or more `*` also ends one: it is a number masked before, and
//! must not join its neighbours into a new one (masking is idempotent).

/// Shortest and longest card numbers (ISO/IEC 7812).
const MIN_DIGITS: usize = 13;
const MAX_DIGITS: usize = 19;

/// The code point of every `0` of a Unicode decimal digit set (general category Nd, Unicode 16.0).
/// Unicode encodes each set as ten consecutive code points from 0 to 9, so a digit's value is its
/// distance from the `0` before it. Taken from the Decimal_Number ranges of the Unicode database.
const DIGIT_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50, 0x11D50,
    0x11DA0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE, 0x1D7D8,
    0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// The value of a decimal digit of any script (category Nd), or `None`.
pub fn digit_value(c: char) -> Option<u8> {
    let cp = c as u32;
    if c.is_ascii() {
        return c.to_digit(10).and_then(|d| u8::try_from(d).ok());
    }
    let i = DIGIT_ZEROS.partition_point(|&z| z <= cp).checked_sub(1)?;
    let offset = cp - DIGIT_ZEROS[i];
    (offset < 10).then_some(offset as u8)
}

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

/// What a character is to a number being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Digit(u8),
    /// Between digit groups: anything that is neither a letter nor a digit.
    Gap,
    /// Ends a number: letters, other numerals, and `*` of an earlier mask (see `breaks`).
    Stop,
}

fn kind(c: char) -> Kind {
    if let Some(d) = digit_value(c) {
        Kind::Digit(d)
    } else if c.is_alphanumeric() || c == '*' {
        Kind::Stop
    } else {
        Kind::Gap
    }
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
    // Most texts hold fewer than 13 digits: nothing to read.
    if text
        .chars()
        .filter(|&c| digit_value(c).is_some())
        .nth(MIN_DIGITS - 1)
        .is_none()
    {
        return Masked {
            text: text.to_string(),
            count: 0,
        };
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut i = 0;
    while i < chars.len() {
        if !matches!(kind(chars[i]), Kind::Digit(_)) {
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

/// The digit groups starting at `start`, joined by runs of gap characters of any length, and where
/// the run ends (trailing gap characters are not part of it). Three `*` in a row end it.
fn digit_run(chars: &[char], start: usize) -> (Vec<Group>, usize) {
    let mut groups = Vec::new();
    let mut i = start;
    loop {
        let g_start = i;
        let mut digits = Vec::new();
        while let Some(Kind::Digit(d)) = chars.get(i).copied().map(kind) {
            digits.push(d);
            i += 1;
        }
        groups.push(Group {
            start: g_start,
            end: i,
            digits,
        });
        let mut j = i;
        let mut stars = 0;
        while j < chars.len() && kind(chars[j]) == Kind::Gap && stars < 3 {
            stars = if chars[j] == '*' { stars + 1 } else { 0 };
            j += 1;
        }
        if j > i && stars < 3 && matches!(chars.get(j).copied().map(kind), Some(Kind::Digit(_))) {
            i = j;
        } else {
            return (groups, i);
        }
    }
}

/// How many groups from the start form the longest card number, if any do.
fn longest_pan(groups: &[Group]) -> Option<usize> {
    let mut digits: Vec<u8> = Vec::with_capacity(MAX_DIGITS);
    let mut best = None;
    for (n, g) in groups.iter().enumerate() {
        digits.extend(&g.digits);
        if digits.len() > MAX_DIGITS {
            break;
        }
        if digits.len() >= MIN_DIGITS && luhn_valid(&digits) {
            best = Some(n + 1);
        }
    }
    best
}

/// First six, a `*` for each middle digit, last four (always in ASCII digits).
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
            "411111******1111 550000******0004",
            "on 2026-12-06 at 14:30, 3 times",
            "firmware 1.2.3.4567 on 2026-03-01",
            "call 400-820-8820 or 95516",
            "amounts 12.50, 30.00, 7.25",
            "a 20-digit run 45390000000001500000 is not a card number",
        ] {
            let m = mask_pans(t);
            assert_eq!(m.text, t);
            assert!(!m.masked(), "{t}");
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

    #[test]
    fn masks_across_any_separator_and_any_digit_script() {
        for t in [
            "card 4539.0000.0000.0150 declined",
            "4539/0000/0000/0150",
            "4539_0000_0000_0150",
            "4539,0000,0000,0150",
            "4539\t0000\t0000\t0150",
            "card\n4539\n0000\n0000\n0150",
            "4539\r\n0000\r\n0000\r\n0150",
            "4539    0000    0000    0150",
            "4539\u{200B}0000\u{200B}0000\u{200B}0150",
            "4539\u{00AD}0000\u{00AD}0000\u{00AD}0150",
            "4539\u{202F}0000\u{202F}0000\u{202F}0150",
            "4539\u{200D}0000\u{FEFF}0000\u{2060}0150",
            "4\u{200B}5\u{200B}3\u{200B}9000000000150",
            "٤٥٣٩٠٠٠٠٠٠٠٠٠١٥٠",
            "४५३९ ०००० ०००० ०१५०",
            "𝟒𝟓𝟑𝟗𝟎𝟎𝟎𝟎𝟎𝟎𝟎𝟎𝟎𝟏𝟓𝟎",
            "4539 - / 0000 -- 0000 ... 0150",
        ] {
            let m = mask_pans(t);
            assert_eq!(m.count, 1, "{t:?}");
            assert!(m.text.contains("453900******0150"), "{t:?} -> {:?}", m.text);
        }
    }

    #[test]
    fn digit_values_in_other_scripts() {
        assert_eq!(digit_value('٤'), Some(4));
        assert_eq!(digit_value('९'), Some(9));
        assert_eq!(digit_value('７'), Some(7));
        assert_eq!(digit_value('𝟗'), Some(9));
        assert_eq!(digit_value('a'), None);
        assert_eq!(digit_value('²'), None);
        assert_eq!(digit_value('①'), None);
        assert_eq!(digit_value('〇'), None);
    }

    #[test]
    fn masking_twice_changes_nothing_more() {
        let once = mask_pans("4111 1111 1111 1111 / 4539.0000.0000.0150").text;
        assert_eq!(mask_pans(&once).text, once);
    }
}
