//! The spec's three example consents as a ready set a manager adopts with one click on
//! an empty "Zgody" page: processing to handle the request, marketing and the
//! newsletter (one consent per channel, as direct marketing needs), and sharing with
//! other entities. The texts are written to be read out during a call; a manager edits
//! them afterwards like any other definition (each change a new version).

use super::model::{ConsentChannel, Definition, LegalBasis};

const WITHDRAW: &str = "Zgodę mogę wycofać w każdej chwili, w ten sam sposób, w jaki jej \
     udzielam (telefonicznie, e-mailem lub klikając link w wiadomości); wycofanie nie \
     wpływa na zgodność z prawem przetwarzania sprzed wycofania.";

fn marketing(name: &str, channel: ConsentChannel, means: &str, position: i64) -> Definition {
    Definition {
        name: name.into(),
        statement: format!(
            "Wyrażam zgodę na otrzymywanie {means} informacji handlowych i marketingowych \
             o produktach i usługach administratora, w tym newslettera (art. 398 ustawy – \
             Prawo komunikacji elektronicznej). {WITHDRAW}"
        ),
        purpose: "Marketing bezpośredni produktów i usług administratora".into(),
        legal_basis: LegalBasis::Consent,
        channel,
        marketing: true,
        active: true,
        position,
        ..Definition::default()
    }
}

/// The set, in the order the consent panel shows it.
pub fn examples() -> Vec<Definition> {
    vec![
        Definition {
            name: "Obsługa zgłoszenia".into(),
            statement: format!(
                "Wyrażam zgodę na przetwarzanie moich danych osobowych podanych w tej \
                 rozmowie (imię i nazwisko, dane kontaktowe, treść zgłoszenia) w celu \
                 realizacji mojego zgłoszenia oraz obsługi moich kolejnych zgłoszeń. {WITHDRAW}"
            ),
            purpose: "Realizacja zgłoszenia klienta i obsługa jego przyszłych zgłoszeń".into(),
            legal_basis: LegalBasis::Consent,
            channel: ConsentChannel::Any,
            required: true,
            active: true,
            position: 10,
            ..Definition::default()
        },
        marketing(
            "Marketing i newsletter: e-mail",
            ConsentChannel::Email,
            "na podany adres e-mail",
            20,
        ),
        marketing(
            "Marketing: SMS",
            ConsentChannel::Sms,
            "SMS-em na podany numer telefonu",
            30,
        ),
        marketing(
            "Marketing: telefon",
            ConsentChannel::Call,
            "w rozmowach telefonicznych na podany numer",
            40,
        ),
        Definition {
            name: "Udostępnianie danych innym podmiotom".into(),
            statement: format!(
                "Wyrażam zgodę na udostępnienie moich danych osobowych (imię i nazwisko, dane \
                 kontaktowe, treść zgłoszenia) podmiotom współpracującym z administratorem, \
                 np. serwisowi lub firmie kurierskiej, w zakresie potrzebnym do realizacji \
                 mojego zgłoszenia. Listę tych podmiotów otrzymam na żądanie. {WITHDRAW}"
            ),
            purpose: "Przekazanie danych podmiotom współpracującym w związku z realizacją \
                      zgłoszenia"
                .into(),
            legal_basis: LegalBasis::Consent,
            channel: ConsentChannel::Any,
            sharing: true,
            active: true,
            position: 50,
            ..Definition::default()
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_passes_the_rules_a_manager_meets() {
        let set = examples();
        for d in &set {
            assert!(super::super::validate::validate(d).is_ok(), "{}", d.name);
        }
        // Marketing: one consent per channel, never one for all.
        let channels: Vec<ConsentChannel> = set
            .iter()
            .filter(|d| d.marketing)
            .map(|d| d.channel)
            .collect();
        assert_eq!(
            channels,
            [
                ConsentChannel::Email,
                ConsentChannel::Sms,
                ConsentChannel::Call
            ]
        );
        assert_eq!(set.iter().filter(|d| d.sharing).count(), 1);
        assert_eq!(set.iter().filter(|d| d.required).count(), 1);
    }
}
