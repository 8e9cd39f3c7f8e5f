//! Retail barcodes: EAN-13 and UPC-A (GTIN-13/GTIN-12) with their check digits. A UPC-A code is
//! the EAN-13 code with a leading zero, so both normalise to one 13-digit [`Gtin`] for lookups.

use std::fmt;

/// A validated GTIN, always as 13 digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gtin([u8; 13]);

/// Why a string is not a usable barcode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    #[error("{0:?} is not 12 (UPC-A) or 13 (EAN-13) digits")]
    Length(String),
    #[error("{code} has a bad check digit (expected {expected})")]
    CheckDigit { code: String, expected: u8 },
}

impl Gtin {
    /// Parses an EAN-13 or UPC-A code (digits only, surrounding whitespace ignored).
    pub fn parse(code: &str) -> Result<Self, BarcodeError> {
        let code = code.trim();
        if !code.bytes().all(|b| b.is_ascii_digit()) || !(code.len() == 12 || code.len() == 13) {
            return Err(BarcodeError::Length(code.to_string()));
        }
        let mut digits = [0u8; 13];
        let offset = 13 - code.len();
        for (i, b) in code.bytes().enumerate() {
            digits[offset + i] = b - b'0';
        }
        let expected = check_digit(&digits[..12]);
        if digits[12] != expected {
            return Err(BarcodeError::CheckDigit { code: code.to_string(), expected });
        }
        Ok(Self(digits))
    }

    /// The 13 digits.
    pub fn digits(&self) -> [u8; 13] {
        self.0
    }
}

/// The GTIN check digit of the first 12 digits (weights 1, 3, 1, 3, … from the left).
pub fn check_digit(first_twelve: &[u8]) -> u8 {
    let sum: u32 = first_twelve.iter().enumerate().map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 1 } else { 3 }).sum();
    ((10 - sum % 10) % 10) as u8
}

/// The EAN-13 code whose first 12 digits are `body` (zero-padded), with its check digit; for
/// stores numbering their own articles (GS1 prefixes 20–29) and for test catalogs.
pub fn ean13(body: u64) -> String {
    let body = format!("{:012}", body % 1_000_000_000_000);
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    format!("{body}{}", check_digit(&digits))
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.0 {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ean13_and_upca_normalise_to_one_code() {
        let ean = Gtin::parse("4006381333931");
        assert_eq!(ean.map(|g| g.to_string()), Ok("4006381333931".to_string()));
        // UPC-A 036000291452 is EAN-13 0036000291452.
        assert_eq!(Gtin::parse("036000291452"), Gtin::parse("0036000291452"));
        assert_eq!(Gtin::parse(" 036000291452\n").map(|g| g.to_string()), Ok("0036000291452".to_string()));
    }

    #[test]
    fn made_codes_check_out() {
        assert_eq!(ean13(400638133393), "4006381333931");
        assert_eq!(ean13(3_600_029_145), "0036000291452", "UPC-A 036000291452 as EAN-13");
        assert!((0..500).all(|n| Gtin::parse(&ean13(200_000_000_000 + n * 7919)).is_ok()));
    }

    #[test]
    fn bad_codes_say_why() {
        assert_eq!(
            Gtin::parse("4006381333932"),
            Err(BarcodeError::CheckDigit { code: "4006381333932".into(), expected: 1 })
        );
        assert!(matches!(Gtin::parse("12345"), Err(BarcodeError::Length(_))));
        assert!(matches!(Gtin::parse("40063813339a1"), Err(BarcodeError::Length(_))));
        assert!(matches!(Gtin::parse(""), Err(BarcodeError::Length(_))));
    }
}
