//! A reader of definite-length DER, enough for the PKCS#12 outline and the
//! Java key protections.

use crate::pki::der::*;

pub(super) struct Der<'a> {
    rest: &'a [u8],
}

impl<'a> Der<'a> {
    pub(super) fn new(rest: &'a [u8]) -> Self {
        Self { rest }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next element's whole encoding, header included.
    pub(super) fn next_raw(&mut self) -> Option<&'a [u8]> {
        let start = self.rest;
        self.next()?;
        Some(&start[..start.len() - self.rest.len()])
    }

    pub(super) fn next(&mut self) -> Option<(u8, &'a [u8])> {
        let (&tag, rest) = self.rest.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |len, b| len << 8 | usize::from(*b));
            (len, &rest[n..])
        };
        if rest.len() < len {
            return None;
        }
        let (content, rest) = rest.split_at(len);
        self.rest = rest;
        Some((tag, content))
    }

    pub(super) fn tagged(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.next()? {
            (t, content) if t == tag => Some(content),
            _ => None,
        }
    }

    /// A non-negative INTEGER that fits in a u64.
    pub(super) fn uint(&mut self) -> Option<u64> {
        let content = self.tagged(INTEGER)?;
        if content.first().is_none_or(|b| b & 0x80 != 0) {
            return None;
        }
        let digits = &content[content.iter().take_while(|b| **b == 0).count()..];
        if digits.len() > 8 {
            return None;
        }
        Some(digits.iter().fold(0, |n, b| n << 8 | u64::from(*b)))
    }
}
