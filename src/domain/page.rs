//! Paging as the directory API does it: `page` from 0, `size` 1 to 50000.

use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: usize,
    pub size: usize,
}

/// Spring's default page size, which the real directory uses.
pub const DEFAULT_PAGE_SIZE: usize = 20;
pub const MAX_PAGE_SIZE: usize = 50_000;

impl PageRequest {
    pub fn parse(page: Option<&str>, size: Option<&str>) -> Result<Self, DomainError> {
        let page = match page {
            None => 0,
            Some(v) => v.parse::<usize>().map_err(|_| {
                DomainError::field("page", format!("must be a whole number from 0, got '{v}'"))
            })?,
        };
        let size = match size {
            None => DEFAULT_PAGE_SIZE,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|s| (1..=MAX_PAGE_SIZE).contains(s))
                .ok_or_else(|| {
                    DomainError::field(
                        "size",
                        format!("must be a whole number from 1 to {MAX_PAGE_SIZE}, got '{v}'"),
                    )
                })?,
        };
        Ok(Self { page, size })
    }

    /// This page of `items`, with the total it was cut from.
    pub fn cut<T>(self, items: Vec<T>) -> Page<T> {
        let total = items.len();
        let content = items
            .into_iter()
            .skip(self.page.saturating_mul(self.size))
            .take(self.size)
            .collect();
        Page {
            content,
            request: self,
            total,
        }
    }
}

/// `limit` of a cursor-paged list: 1 to 1000, default 100.
pub fn parse_limit(value: Option<&str>) -> Result<usize, DomainError> {
    match value {
        None => Ok(100),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=1000).contains(l))
            .ok_or_else(|| {
                DomainError::field(
                    "limit",
                    format!("must be a number from 1 to 1000, got '{v}'"),
                )
            }),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub content: Vec<T>,
    pub request: PageRequest,
    pub total: usize,
}

impl<T> Page<T> {
    pub fn total_pages(&self) -> usize {
        self.total.div_ceil(self.request.size)
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            content: self.content.into_iter().map(f).collect(),
            request: self.request,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cut_the_list() {
        let page = PageRequest::parse(Some("1"), Some("2"))
            .unwrap()
            .cut(vec![1, 2, 3, 4, 5]);
        assert_eq!(page.content, vec![3, 4]);
        assert_eq!(page.total_pages(), 3);
        let past = PageRequest::parse(Some("9"), Some("2"))
            .unwrap()
            .cut(vec![1]);
        assert!(past.content.is_empty());
    }

    #[test]
    fn bad_page_and_size_name_the_parameter() {
        assert!(
            PageRequest::parse(Some("-1"), None)
                .unwrap_err()
                .to_string()
                .starts_with("page:")
        );
        assert!(
            PageRequest::parse(None, Some("0"))
                .unwrap_err()
                .to_string()
                .starts_with("size:")
        );
        assert!(PageRequest::parse(None, Some("50001")).is_err());
        assert_eq!(
            PageRequest::parse(None, None).unwrap(),
            PageRequest { page: 0, size: 20 }
        );
    }
}
