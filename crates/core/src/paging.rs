//! Resuming a listing where its last page ended, for lists that change
//! between pages (IAM's `Marker`, Organizations' `NextToken`): the resume
//! point names the next page's first item as well as its position, so that
//! a client changing each page before it asks for the next (a paginator loop
//! that deletes, moves or detaches) resumes at that item, not at a count of
//! items that no longer holds.
//!
//! A resume point is `N`, or `N.` followed by the item's key in
//! hexadecimal, `N` being the item's position. Each service wraps it in its
//! own token form; [`scoped`] binds it to the listing that issued it.

/// The resume point of a page ending at `end` whose next item has `key`
/// (empty: by position only).
pub fn encode(end: usize, key: &str) -> String {
    if key.is_empty() {
        end.to_string()
    } else {
        format!("{end}.{}", hex::encode(key))
    }
}

/// Where in `items` the resume point `point` ([`encode`]) resumes; `None`
/// when it is not one. The item the point names is found by its key
/// wherever it now is; gone, the list resumes at the first item after it
/// when the list is in `key` order, else at the position.
pub fn start<T>(items: &[T], point: &str, key: impl Fn(&T) -> String) -> Option<usize> {
    let (pos, next) = point.split_once('.').unwrap_or((point, ""));
    let pos = pos.parse::<usize>().ok()?;
    let next = hex::decode(next)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())?;
    if next.is_empty() {
        return Some(pos);
    }
    let keys: Vec<String> = items.iter().map(key).collect();
    let in_order = keys.iter().zip(keys.iter().skip(1)).all(|(a, b)| a < b);
    Some(match keys.iter().position(|k| *k == next) {
        Some(i) => i,
        None if in_order => keys.partition_point(|k| *k < next),
        None => pos,
    })
}

/// A token bound to the listing that issued it: the listing's `scope` (a
/// fingerprint of the operation, the caller and the other inputs) in
/// hexadecimal, `.`, and the resume point ([`encode`]).
pub fn scoped(scope: u64, end: usize, key: &str) -> String {
    format!("{scope:x}.{}", encode(end, key))
}

/// Where a [`scoped`] token resumes in `items`; `None` when it is not one,
/// or another listing's.
pub fn scoped_start<T>(
    items: &[T],
    token: &str,
    scope: u64,
    key: impl Fn(&T) -> String,
) -> Option<usize> {
    let (s, point) = token.split_once('.')?;
    if u64::from_str_radix(s, 16).ok() != Some(scope) {
        return None;
    }
    start(items, point, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resumes_at_the_named_item_wherever_it_now_is() {
        let key = |s: &&str| (*s).to_owned();
        let point = encode(2, "c");
        assert_eq!(point, "2.63");
        // Unchanged; the first two deleted; "c" itself gone (in order).
        assert_eq!(start(&["a", "b", "c", "d"], &point, key), Some(2));
        assert_eq!(start(&["c", "d"], &point, key), Some(0));
        assert_eq!(start(&["a", "b", "d"], &point, key), Some(2));
        // Out of key order and gone: the position.
        assert_eq!(start(&["d", "a", "b"], &point, key), Some(2));
        assert_eq!(start(&["a"], &encode(7, ""), key), Some(7));
        assert_eq!(start(&["a"], "x.63", key), None);
        // Bound to its listing.
        let token = scoped(0xabc, 2, "c");
        assert_eq!(token, "abc.2.63");
        assert_eq!(scoped_start(&["a", "b", "c"], &token, 0xabc, key), Some(2));
        assert_eq!(scoped_start(&["a", "b", "c"], &token, 0xabd, key), None);
        assert_eq!(scoped_start(&["a"], "2.63", 0xabc, key), None);
        assert_eq!(start(&["a"], "1.zz", key), None);
    }
}
