//! Code 128 bars for a payload: barcoders computes the modules, this module picks the character sets
//! (set C packs digit runs two to a symbol, which keeps a `PD42-20261201` code narrow enough for 58 mm
//! paper) and turns the modules into bar runs the PDF draws as filled rectangles.

use super::PrintError;
use barcoders::sym::code128::Code128;

/// White space each side of the bars, in module widths (ISO/IEC 15417 asks for at least 10).
pub const QUIET_MODULES: usize = 10;

/// Narrowest bar we print: two dots of a 203 dpi thermal head (0.250 mm), so every bar is a whole
/// number of printer dots and at least 0.25 mm wide.
pub const MIN_MODULE_PT: f32 = 2.0 * 72.0 / 203.0;

/// Set switches as barcoders spells them.
const SET_B: char = 'Ɓ';
const SET_C: char = 'Ć';

/// The bars of one Code 128 symbol, without the quiet zones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code128Bars {
    /// One entry per module: `true` is a dark bar.
    pub modules: Vec<bool>,
}

impl Code128Bars {
    /// The bars for `payload` (printable ASCII only).
    pub fn new(payload: &str) -> Result<Code128Bars, PrintError> {
        let input = with_sets(payload).ok_or_else(|| PrintError::Barcode {
            payload: payload.to_string(),
            reason: "only printable ASCII can be encoded".to_string(),
        })?;
        let code = Code128::new(&input).map_err(|e| PrintError::Barcode {
            payload: payload.to_string(),
            reason: e.to_string(),
        })?;
        Ok(Code128Bars {
            modules: code.encode().into_iter().map(|m| m == 1).collect(),
        })
    }

    /// Width in modules, quiet zones included.
    pub fn total_modules(&self) -> usize {
        self.modules.len() + 2 * QUIET_MODULES
    }

    /// The dark runs as `(first module, width in modules)`, counted from the first bar.
    pub fn runs(&self) -> Vec<(usize, usize)> {
        let mut runs = Vec::new();
        let mut start = None;
        for (i, &dark) in self.modules.iter().enumerate() {
            match (dark, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    runs.push((s, i - s));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            runs.push((s, self.modules.len() - s));
        }
        runs
    }
}

/// `payload` with barcoders' set markers: set B for text, set C for a run of 4 or more digits at the
/// end or 6 or more inside (shorter runs cost more in switches than they save). An odd run leaves its
/// first digit in set B. `None` when the payload has a character outside printable ASCII.
fn with_sets(payload: &str) -> Option<String> {
    if payload.is_empty() || !payload.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return None;
    }
    let chars: Vec<char> = payload.chars().collect();
    let mut out = String::new();
    let mut set = None;
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let at_end = i + run == chars.len();
        let worth_c = run >= 6 || (at_end && run >= 4) || (i == 0 && at_end && run >= 2);
        if worth_c {
            if run % 2 == 1 {
                switch(&mut out, &mut set, SET_B);
                out.push(chars[i]);
                i += 1;
            }
            let even = run - run % 2;
            switch(&mut out, &mut set, SET_C);
            out.extend(&chars[i..i + even]);
            i += even;
        } else {
            switch(&mut out, &mut set, SET_B);
            out.push(chars[i]);
            i += 1;
        }
    }
    Some(out)
}

fn switch(out: &mut String, set: &mut Option<char>, to: char) {
    if *set != Some(to) {
        out.push(to);
        *set = Some(to);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn digit_runs_go_to_set_c() {
        assert_eq!(with_sets("PD42-20261201").unwrap(), "ƁPD42-Ć20261201");
        assert_eq!(
            with_sets("PD1234567-20261201").unwrap(),
            "ƁPD1Ć234567Ɓ-Ć20261201"
        );
        assert_eq!(with_sets("AB").unwrap(), "ƁAB");
        assert_eq!(with_sets("余额"), None);
        assert_eq!(with_sets(""), None);
    }

    #[test]
    fn a_short_code_is_narrow() {
        // start, P, D, 4, 2, -, switch to C, 4 date pairs, check: 12 symbols of 11 modules, stop 13.
        let bars = Code128Bars::new("PD42-20261201").unwrap();
        assert_eq!(bars.modules.len(), 12 * 11 + 13);
        assert!(bars.modules[0] && bars.modules[bars.modules.len() - 1]);
        let dark: usize = bars.runs().iter().map(|r| r.1).sum();
        assert_eq!(dark, bars.modules.iter().filter(|m| **m).count());
    }
}
