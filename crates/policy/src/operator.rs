//! Condition operator names: the base operator, the `ForAnyValue:` /
//! `ForAllValues:` set qualifier and the `IfExists` suffix (spec 06 §6.6).

/// The operators of spec 06 §6.6.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum BaseOp {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

/// The value family an operator compares in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Strings (exact, case-insensitive or glob).
    String,
    /// Decimal numbers.
    Numeric,
    /// Dates and times.
    Date,
    /// Booleans.
    Bool,
    /// Base-64 binary.
    Binary,
    /// IP addresses and CIDR blocks.
    Ip,
    /// ARNs, field by field.
    Arn,
    /// Key presence.
    Null,
}

const ALL: &[(&str, BaseOp)] = &[
    ("StringEquals", BaseOp::StringEquals),
    ("StringNotEquals", BaseOp::StringNotEquals),
    ("StringEqualsIgnoreCase", BaseOp::StringEqualsIgnoreCase),
    (
        "StringNotEqualsIgnoreCase",
        BaseOp::StringNotEqualsIgnoreCase,
    ),
    ("StringLike", BaseOp::StringLike),
    ("StringNotLike", BaseOp::StringNotLike),
    ("NumericEquals", BaseOp::NumericEquals),
    ("NumericNotEquals", BaseOp::NumericNotEquals),
    ("NumericLessThan", BaseOp::NumericLessThan),
    ("NumericLessThanEquals", BaseOp::NumericLessThanEquals),
    ("NumericGreaterThan", BaseOp::NumericGreaterThan),
    ("NumericGreaterThanEquals", BaseOp::NumericGreaterThanEquals),
    ("DateEquals", BaseOp::DateEquals),
    ("DateNotEquals", BaseOp::DateNotEquals),
    ("DateLessThan", BaseOp::DateLessThan),
    ("DateLessThanEquals", BaseOp::DateLessThanEquals),
    ("DateGreaterThan", BaseOp::DateGreaterThan),
    ("DateGreaterThanEquals", BaseOp::DateGreaterThanEquals),
    ("Bool", BaseOp::Bool),
    ("BinaryEquals", BaseOp::BinaryEquals),
    ("IpAddress", BaseOp::IpAddress),
    ("NotIpAddress", BaseOp::NotIpAddress),
    ("ArnEquals", BaseOp::ArnEquals),
    ("ArnLike", BaseOp::ArnLike),
    ("ArnNotEquals", BaseOp::ArnNotEquals),
    ("ArnNotLike", BaseOp::ArnNotLike),
    ("Null", BaseOp::Null),
];

impl BaseOp {
    /// Every operator, with its name as written in policies.
    pub fn all() -> &'static [(&'static str, BaseOp)] {
        ALL
    }

    /// The operator's name.
    pub fn name(self) -> &'static str {
        ALL.iter()
            .find(|(_, op)| *op == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }

    /// Negated operators match when the value matches none of the policy values.
    pub fn is_negated(self) -> bool {
        use BaseOp::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    /// The family whose values this operator compares.
    pub fn family(self) -> Family {
        use BaseOp::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => Family::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => Family::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => Family::Date,
            Bool => Family::Bool,
            BinaryEquals => Family::Binary,
            IpAddress | NotIpAddress => Family::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Family::Arn,
            Null => Family::Null,
        }
    }
}

/// `ForAnyValue:` / `ForAllValues:` (spec 06 §6.6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// No qualifier.
    None,
    /// `ForAnyValue:`
    ForAnyValue,
    /// `ForAllValues:`
    ForAllValues,
}

/// A full condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    /// The set qualifier.
    pub qualifier: SetQualifier,
    /// The base operator.
    pub base: BaseOp,
    /// The `IfExists` suffix.
    pub if_exists: bool,
}

impl Operator {
    /// Parses an operator as written in a `Condition` block, or says why not.
    ///
    /// Names are matched case-sensitively, as AWS documents them. UNCONFIRMED:
    /// whether IAM accepts other capitalisations; we refuse them, which errs on
    /// the side of a clear validation message.
    pub fn parse(text: &str) -> Result<Operator, String> {
        let (qualifier, rest) = if let Some(r) = text.strip_prefix("ForAnyValue:") {
            (SetQualifier::ForAnyValue, r)
        } else if let Some(r) = text.strip_prefix("ForAllValues:") {
            (SetQualifier::ForAllValues, r)
        } else {
            (SetQualifier::None, text)
        };
        let (if_exists, name) = match rest.strip_suffix("IfExists") {
            Some(n) => (true, n),
            None => (false, rest),
        };
        let base = ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, op)| *op)
            .ok_or_else(|| format!("unknown condition operator `{text}`"))?;
        if if_exists && base == BaseOp::Null {
            return Err("`Null` cannot take the `IfExists` suffix".into());
        }
        if qualifier != SetQualifier::None && base == BaseOp::Null {
            return Err("`Null` cannot take a set qualifier".into());
        }
        Ok(Operator {
            qualifier,
            base,
            if_exists,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        for (name, base) in BaseOp::all() {
            let op = Operator::parse(name).unwrap();
            assert_eq!(op.base, *base);
            assert_eq!(base.name(), *name);
            if *base != BaseOp::Null {
                let op = Operator::parse(&format!("ForAllValues:{name}IfExists")).unwrap();
                assert_eq!(op.qualifier, SetQualifier::ForAllValues);
                assert!(op.if_exists);
            }
        }
        assert!(Operator::parse("StringEqualz").is_err());
        assert!(Operator::parse("NullIfExists").is_err());
        assert!(Operator::parse("ForAnyValue:Null").is_err());
        assert!(Operator::parse("ForSomeValues:StringLike").is_err());
    }
}
