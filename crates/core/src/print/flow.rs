//! The page machinery every printed document shares (checklists, incident reports): blocks that stay
//! whole on a page, a pen that builds them top-down, the paginator that flows them onto pages with a
//! continuation header, and the "n / N" page numbers.

use super::layout::{Ink, LEADING, Op, PageLayout, Typeface};
use crate::i18n::Lang;
use std::rc::Rc;

/// A piece of the flow that stays whole on one page; ops are relative to its top.
pub(crate) struct Block {
    pub height: f32,
    pub ops: Vec<Op>,
    /// Must share a page with the block after it (headings, and the last task before the signature).
    pub keep_with_next: bool,
    /// What a page starting at this block repeats as "(continued)".
    pub context: Option<Rc<str>>,
}

/// Builds blocks top-down: tracks the height used so far.
pub(crate) struct Pen<'a> {
    pub tf: &'a Typeface,
    pub ops: Vec<Op>,
    pub y: f32,
}

impl<'a> Pen<'a> {
    pub fn new(tf: &'a Typeface) -> Pen<'a> {
        Pen {
            tf,
            ops: Vec::new(),
            y: 0.0,
        }
    }

    pub fn line(&mut self, x: f32, size: f32, ink: Ink, text: impl Into<String>) {
        self.ops.push(Op::text(x, self.y, size, ink, text));
        self.y += size * LEADING;
    }

    pub fn wrapped(
        &mut self,
        x: f32,
        width: f32,
        size: f32,
        ink: Ink,
        text: &str,
        max_lines: usize,
    ) {
        for l in self.tf.wrap(text, size, width, max_lines) {
            self.line(x, size, ink, l);
        }
    }

    pub fn rule(&mut self, x: f32, w: f32, line: f32, grey: bool) {
        self.ops.push(Op::Rule {
            x,
            y: self.y,
            w,
            line,
            grey,
        });
    }

    pub fn gap(&mut self, h: f32) {
        self.y += h;
    }

    pub fn block(self, keep_with_next: bool, context: Option<Rc<str>>) -> Block {
        Block {
            height: self.y,
            ops: self.ops,
            keep_with_next,
            context,
        }
    }
}

/// The page a flow is laid on, in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub width: f32,
    /// The page height (fixed pages) or the longest page (receipts).
    pub max_height: f32,
    pub top: f32,
    pub bottom: f32,
    /// A4 keeps its height; a receipt page ends where its content does.
    pub fixed_height: bool,
}

/// Flows `blocks` onto pages under `first_header`; each later page starts with
/// `continuation(context of its first block)`. A block (with those it keeps with) that does not fit
/// goes to the next page, unless the page has nothing else on it yet.
pub(crate) fn paginate(
    f: &Frame,
    first_header: Block,
    blocks: Vec<Block>,
    mut continuation: impl FnMut(Option<&str>) -> Block,
    pages: &mut Vec<PageLayout>,
) {
    let limit = f.max_height - f.bottom;
    let blank = || PageLayout {
        width: f.width,
        height: f.max_height,
        ops: Vec::new(),
    };
    let mut page = blank();
    let mut y = f.top;
    place(&mut page, &mut y, first_header);
    let mut page_has_content = false;

    // The height of each block and every block it must stay with.
    let mut chains = vec![0.0; blocks.len()];
    for i in (0..blocks.len()).rev() {
        let b = &blocks[i];
        let rest = if b.keep_with_next {
            chains.get(i + 1).copied().unwrap_or(0.0)
        } else {
            0.0
        };
        chains[i] = b.height + rest;
    }
    for (block, chain) in blocks.into_iter().zip(chains) {
        if page_has_content && y + chain > limit {
            finish(f, &mut page, y);
            pages.push(std::mem::replace(&mut page, blank()));
            y = f.top;
            let header = continuation(block.context.as_deref());
            place(&mut page, &mut y, header);
        }
        place(&mut page, &mut y, block);
        page_has_content = true;
    }
    finish(f, &mut page, y);
    pages.push(page);
}

fn place(page: &mut PageLayout, y: &mut f32, block: Block) {
    let dy = *y;
    page.ops
        .extend(block.ops.into_iter().map(|op| op.shifted(dy)));
    *y += block.height;
}

fn finish(f: &Frame, page: &mut PageLayout, y: f32) {
    if !f.fixed_height {
        page.height = y + f.bottom;
    }
}

/// "n / N" in grey at the bottom right of every page, its right edge at `right`.
pub(crate) fn number_pages(
    tf: &Typeface,
    pages: &mut [PageLayout],
    right: f32,
    bottom: f32,
    size: f32,
) {
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let text = format!("{} / {total}", i + 1);
        let w = tf.width(&text, size);
        let y = page.height - bottom + size * 0.8;
        page.ops.push(Op::text(right - w, y, size, Ink::Grey, text));
    }
}

/// The PDF's language tag.
pub(crate) fn language_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    }
}
