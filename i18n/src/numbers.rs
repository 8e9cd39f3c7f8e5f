//! Numbers in the language's own way: ICU's decimal formatter behind Fluent's number values, and
//! the currencies a catalog prices in.

use std::borrow::Cow;

use fluent_bundle::{FluentValue, memoizer::MemoizerKind, types::FluentNumber, types::FluentNumberOptions};
use icu_decimal::{DecimalFormatter, input::Decimal};
use intl_memoizer::Memoizable;
use unic_langid::LanguageIdentifier;

use crate::{Arg, Language};

/// ICU's formatter for one language, built once per bundle by Fluent's memoizer.
struct LocalDecimal(DecimalFormatter);

impl Memoizable for LocalDecimal {
    type Args = ();
    type Error = String;

    fn construct(lang: LanguageIdentifier, _: ()) -> Result<Self, String> {
        formatter_for(&lang.to_string()).map(LocalDecimal)
    }
}

fn formatter_for(tag: &str) -> Result<DecimalFormatter, String> {
    let locale: icu_locale_core::Locale = tag.parse().map_err(|e| format!("{tag}: {e:?}"))?;
    DecimalFormatter::try_new((&locale).into(), Default::default()).map_err(|e| format!("{tag}: {e}"))
}

/// Fluent calls this for every value it prints: numbers get ICU's formatting for the bundle's
/// language, with the decimals the [`Arg`] asked for.
pub(crate) fn format_value<M: MemoizerKind>(value: &FluentValue, memoizer: &M) -> Option<String> {
    let FluentValue::Number(number) = value else { return None };
    let digits = number.options.minimum_fraction_digits.unwrap_or(0) as u8;
    let decimal = decimal(number.value, digits)?;
    memoizer.with_try_get_threadsafe::<LocalDecimal, _, _>((), |f| f.0.format_to_string(&decimal)).ok()
}

/// `value` rounded to `digits` decimals, trailing zeros kept ("2.0", not "2").
fn decimal(value: f64, digits: u8) -> Option<Decimal> {
    let scaled = (value * 10f64.powi(i32::from(digits))).round();
    if !scaled.is_finite() || scaled.abs() > 9e15 {
        return None;
    }
    let mut decimal = Decimal::from(scaled as i64);
    let position = -i16::from(digits);
    decimal.multiply_pow10(position);
    decimal.absolute.pad_end(position);
    Some(decimal)
}

/// `value` with exactly `digits` decimals, as `language` writes it.
pub(crate) fn format_decimal(language: Language, value: f64, digits: u8) -> String {
    match (formatter_for(language.tag()), decimal(value, digits)) {
        (Ok(formatter), Some(decimal)) => formatter.format_to_string(&decimal),
        _ => format!("{value:.*}", usize::from(digits)),
    }
}

pub(crate) fn fluent_value(arg: &Arg) -> FluentValue<'static> {
    match arg {
        Arg::Text(text) => FluentValue::String(Cow::Owned(text.clone())),
        // Resolved by `Strings::try_format` before they get here.
        Arg::Price { .. } | Arg::Phrase(_) => FluentValue::None,
        Arg::Count(n) => FluentValue::Number(FluentNumber::new(*n as f64, FluentNumberOptions::default())),
        Arg::Decimal { value, digits } => FluentValue::Number(FluentNumber::new(
            *value,
            FluentNumberOptions {
                minimum_fraction_digits: Some(usize::from(*digits)),
                maximum_fraction_digits: Some(usize::from(*digits)),
                ..FluentNumberOptions::default()
            },
        )),
    }
}

/// The symbol and minor-unit digits of an ISO 4217 code; unknown codes print as themselves.
pub(crate) fn currency(code: &str) -> (Cow<'static, str>, u8) {
    match code {
        "EUR" => ("€".into(), 2),
        "GBP" => ("£".into(), 2),
        "USD" => ("$".into(), 2),
        "CHF" => ("CHF".into(), 2),
        "JPY" => ("￥".into(), 0),
        "CNY" => ("¥".into(), 2),
        "AED" => ("د.إ".into(), 2),
        other => (other.to_owned().into(), 2),
    }
}
