//! Errors of the policy language: every problem names the element, says what
//! is wrong and, where the source is known, where it stands.

use std::fmt;

use crate::json::{JsonError, Loc};

/// One problem found in a policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The element at fault, e.g. `Statement[1].Condition.StringLike`.
    pub path: String,
    /// What is wrong, lower-case, no final period.
    pub message: String,
    /// Where it stands in the source, when known.
    pub loc: Option<Loc>,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
}

impl Problem {
    pub(crate) fn new(
        path: impl Into<String>,
        message: impl Into<String>,
        loc: Option<Loc>,
    ) -> Self {
        Problem {
            path: path.into(),
            message: message.into(),
            loc,
            help: None,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{}: {}", self.path, self.message)?;
        }
        if let Some(loc) = self.loc {
            write!(f, " (at {loc})")?;
        }
        if let Some(help) = &self.help {
            write!(f, "; help: {help}")?;
        }
        Ok(())
    }
}

/// A policy document that cannot be used: one or more problems.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    /// The problems, in document order. Never empty.
    pub problems: Vec<Problem>,
}

impl PolicyError {
    pub(crate) fn one(p: Problem) -> Self {
        PolicyError { problems: vec![p] }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for p in &self.problems {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl From<JsonError> for PolicyError {
    fn from(e: JsonError) -> Self {
        PolicyError::one(Problem::new(
            "",
            format!("invalid JSON: {}", e.message),
            Some(e.loc),
        ))
    }
}
