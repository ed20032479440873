//! Words of a name as lookups compare them.

/// The words of a name as the index keeps them: lower case, Polish letters folded to
/// their base letters (a consultant types "Lodz" for "Łódź"), split at anything that is
/// not a letter or digit, each word once.
pub fn name_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() {
            continue;
        }
        let word: String = raw
            .chars()
            .flat_map(char::to_lowercase)
            .filter(|c| c.is_alphanumeric())
            .map(fold)
            .collect();
        if !word.is_empty() && !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// A city as its blind index keeps it: its words folded like a name's, in order, one
/// space apart ("Zielona  Góra" and "zielona gora" are the same city).
pub fn city_key(text: &str) -> String {
    let mut words = Vec::new();
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        let word: String = raw
            .chars()
            .flat_map(char::to_lowercase)
            .filter(|c| c.is_alphanumeric())
            .map(fold)
            .collect();
        if !word.is_empty() {
            words.push(word);
        }
    }
    words.join(" ")
}

/// A postal code as its blind index keeps it: letters and digits only, upper case
/// ("65-001" and "65 001" are the same code).
pub fn postal_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

fn fold(c: char) -> char {
    match c {
        'ą' | 'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'ć' | 'č' | 'ç' => 'c',
        'ę' | 'é' | 'è' | 'ê' | 'ë' | 'ě' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ł' => 'l',
        'ń' | 'ň' | 'ñ' => 'n',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ő' => 'o',
        'ś' | 'š' | 'ş' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ú' | 'ù' | 'û' | 'ü' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ř' => 'r',
        'ť' => 't',
        'ď' => 'd',
        'ß' => 's',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_are_folded_and_split() {
        assert_eq!(
            name_words("  Łucja ŻÓŁĆ-Kowalska  "),
            vec!["lucja", "zolc", "kowalska"]
        );
        assert_eq!(name_words("Jan Jan"), vec!["jan"]);
        assert_eq!(
            name_words("O'Neil & Syn sp. z o.o."),
            vec!["o", "neil", "syn", "sp", "z"]
        );
        assert!(name_words(" -- ").is_empty());
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(text in "\\PC{0,30}") {
            let once = name_words(&text);
            let twice = name_words(&once.join(" "));
            prop_assert_eq!(once, twice);
        }
    }
}
