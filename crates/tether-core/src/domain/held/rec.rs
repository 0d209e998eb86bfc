//! What [`Held`](super::Held) hands out.

use std::borrow::Cow;

/// A record handed out by [`Held`]: borrowed when held typed, or read again from its line
/// (boxed, so that the handle stays two words whatever the record's size: a `Cow` of a
/// follow-up is as big as the follow-up, and every pass over a million moved it).
pub enum Rec<'a, T> {
    Borrowed(&'a T),
    Owned(Box<T>),
}

impl<T> std::ops::Deref for Rec<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self {
            Rec::Borrowed(r) => r,
            Rec::Owned(r) => r,
        }
    }
}

impl<T> AsRef<T> for Rec<'_, T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T: Clone> Rec<'_, T> {
    /// The record itself (a copy when borrowed).
    pub fn into_owned(self) -> T {
        match self {
            Rec::Borrowed(r) => r.clone(),
            Rec::Owned(r) => *r,
        }
    }
}

impl<'a, T: Clone> From<Rec<'a, T>> for Cow<'a, T> {
    fn from(r: Rec<'a, T>) -> Cow<'a, T> {
        match r {
            Rec::Borrowed(r) => Cow::Borrowed(r),
            Rec::Owned(r) => Cow::Owned(*r),
        }
    }
}

impl<T: Clone> Clone for Rec<'_, T> {
    fn clone(&self) -> Self {
        match self {
            Rec::Borrowed(r) => Rec::Borrowed(r),
            Rec::Owned(r) => Rec::Owned(r.clone()),
        }
    }
}

impl<T: PartialEq> PartialEq for Rec<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Rec<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}
