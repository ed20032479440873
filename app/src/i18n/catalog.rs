//! Every text of the UI, Polish first, English second. Labels quoted by the
//! specification are kept exactly ("Zmiana hasła", "Zmień hasło", ...).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Lang;

macro_rules! catalog {
    ($($key:ident => $pl:literal, $en:literal;)*) => {
        /// A translatable text. Errors carry these across the wire (as their key), so
        /// the browser shows them in the language the person chose.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];
            const KEYS: &'static [&'static str] = &[$(stringify!($key)),*];

            // A table rather than a `match`: the match compiled to 30 KB of wasm code
            // around the same strings (docs/perf.md, issue #18).
            const TEXTS: &'static [[&'static str; 2]] = &[$([$pl, $en]),*];

            pub fn text(self, lang: Lang) -> &'static str {
                let texts = Self::TEXTS[self as usize];
                match lang {
                    Lang::Pl => texts[0],
                    Lang::En => texts[1],
                }
            }
        }
    };
}

catalog! {
    // Parts and navigation
    PartConsultant => "Część konsultanta", "Consultant part";
    PartManager => "Część menedżerska", "Manager part";
    NavStart => "Start", "Start";
    NavUsers => "Użytkownicy", "Users";
    NavIntegrations => "Integracje", "Integrations";
    IntegrationsTitle => "Integracje", "Integrations";
    IntegrationsIntro => "Tokeny API dla systemów, które łączą się z Zgodą (dialery, CRM, formularze WWW). Token działa jak konto o wybranej roli, ale tylko w funkcjach dla integracji; każde jego działanie trafia do dziennika zdarzeń.", "API tokens for systems that connect to Zgoda (dialers, CRMs, web forms). A token acts as an account of the chosen role, in the integrator functions only; everything it does is in the audit trail.";
    TokenAdd => "Nowy token API", "New API token";
    TokenName => "Nazwa integracji", "Integration name";
    TokenEndpoints => "Tylko te funkcje (puste: wszystkie dozwolone dla roli)", "Only these functions (empty: all the role may call)";
    TokenAddresses => "Dozwolone adresy IP (puste: dowolne)", "Allowed IP addresses (empty: any)";
    TokenValidDays => "Ważny przez dni (puste: bez terminu)", "Valid for days (empty: no expiry)";
    TokenRate => "Limit zapytań na sekundę", "Requests per second";
    TokenCreate => "Utwórz token", "Create token";
    TokenIssued => "Token utworzony. Skopiuj go teraz: nie zostanie pokazany ponownie. Integracja:", "Token created. Copy it now: it will not be shown again. Integration:";
    TokensNone => "Nie ma jeszcze żadnych tokenów.", "There are no tokens yet.";
    TokenPrefix => "Początek tokenu", "Token starts with";
    TokenScope => "Zakres", "Scope";
    TokenScopeRole => "wszystkie funkcje integracji dozwolone dla roli", "every integrator function the role may call";
    TokenExpires => "Wygasa", "Expires";
    TokenNoExpiry => "bez terminu", "no expiry";
    TokenLastUsed => "Ostatnie użycie", "Last used";
    TokenNeverUsed => "jeszcze nie użyty", "not used yet";
    TokenActive => "aktywny", "active";
    TokenExpired => "wygasł", "expired";
    TokenRevoked => "unieważniony", "revoked";
    TokenRevoke => "Unieważnij", "Revoke";
    NavPasswordPolicy => "Polityka haseł", "Password policy";
    NavAudit => "Dziennik audytu", "Audit trail";
    NavJobs => "Zadania w tle", "Background jobs";
    JobsTitle => "Zadania w tle", "Background jobs";
    JobsIntro => "Praca, którą serwery wykonują poza rozmowami: importy, duże eksporty, powiadomienia webhook, okresy przechowywania, rotacja kluczy i porządki. Zadanie przerwane awarią serwera przejmuje inny serwer; nieudane jest ponawiane z rosnącą przerwą, a po wyczerpaniu prób pokazane tu z przyczyną.", "Work the servers do beside the calls: imports, large exports, webhook notifications, retention, key rotation and clean-ups. A job interrupted by a server failure is taken over by another server; a failing one is retried with growing pauses and, once its attempts are used up, shown here with its reason.";
    JobsFilter => "Pokaż zadania", "Show jobs";
    JobsAll => "Wszystkie", "All";
    JobsNone => "Brak zadań.", "No jobs.";
    JobColKind => "Zadanie", "Job";
    JobColAttempts => "Próby", "Attempts";
    JobColWhen => "Kiedy", "When";
    JobColNode => "Serwer", "Server";
    JobColError => "Przyczyna błędu", "Reason for failure";
    JobRetry => "Ponów", "Retry";
    JobStatusWaiting => "Oczekuje", "Waiting";
    JobStatusRunning => "W toku", "Running";
    JobStatusDone => "Zakończone", "Done";
    JobStatusFailed => "Nieudane", "Failed";
    JobKindImport => "Import z pliku", "File import";
    JobKindExport => "Eksport", "Export";
    JobKindWebhook => "Powiadomienie webhook", "Webhook delivery";
    JobKindRetention => "Okresy przechowywania", "Retention";
    JobKindKeyRotation => "Rotacja kluczy", "Key rotation";
    JobKindPurge => "Porządki (usuwanie starych plików i wpisów)", "Clean-up (old files and entries)";
    JobKindSearchBackfill => "Indeks wyszukiwania", "Search index";
    LanguageSwitchTitle => "Switch to English / Przełącz na polski", "Przełącz na polski / Switch to English";
    NotFoundTitle => "Nie znaleziono strony", "Page not found";
    NotFoundBack => "Wróć do strony głównej", "Back to the main page";
    ManagerPartLoading => "Wczytywanie części menedżerskiej…", "Loading the manager part…";
    ManagerPartUnavailable => "Nie udało się wczytać części menedżerskiej. Odśwież stronę.", "The manager part could not be loaded. Reload the page.";

    // Signing in and out
    LoginTitle => "Logowanie", "Sign in";
    LoginIntro => "Zaloguj się do modułu RODO.", "Sign in to the GDPR module.";
    LoginLabel => "Login", "Login";
    PasswordLabel => "Hasło", "Password";
    LoginButton => "Zaloguj", "Sign in";
    LogoutButton => "Wyloguj", "Sign out";

    // Password change
    PasswordChangeTitle => "Zmiana hasła", "Password change";
    PasswordChangeForced => "Hasło wygasło lub zostało zresetowane. Ustaw nowe hasło, aby kontynuować.", "Your password has expired or was reset. Set a new password to continue.";
    ChangePasswordLink => "Zmień hasło", "Change password";
    ChangePasswordButton => "Zmień hasło", "Change password";
    CurrentPasswordLabel => "Stare hasło", "Old password";
    NewPasswordLabel => "Nowe hasło", "New password";
    NewPasswordRepeatLabel => "Powtórz nowe hasło", "Repeat the new password";
    RuleMinLength => "Minimalna liczba znaków:", "Minimum number of characters:";
    RuleLower => "Co najmniej jedna mała litera", "At least one lower-case letter";
    RuleUpper => "Co najmniej jedna wielka litera", "At least one upper-case letter";
    RuleDigitOrSpecial => "Co najmniej jedna cyfra lub znak specjalny", "At least one digit or special character";
    RuleNotRecent => "Inne niż obecne i 5 poprzednich haseł", "Different from the current and the last 5 passwords";
    RuleNotCommon => "Nie może być popularnym hasłem", "Must not be a common password";

    // Home pages
    ConsultantHomeTitle => "Pulpit konsultanta", "Consultant desk";
    ManagerHomeTitle => "Część menedżerska", "Manager part";
    YourAccount => "Twoje konto", "Your account";
    DeskRecentTitle => "Ostatnio otwierane", "Recently opened";
    DeskMyCasesTitle => "Moje otwarte sprawy", "My open cases";
    DeskMyErasuresTitle => "Moje wnioski o usunięcie", "My erasure requests";
    DeskNothingRecent => "Nie otwierano jeszcze żadnego kontaktu ani sprawy.", "No contact or case opened yet.";
    DeskNoCases => "Nie masz przypisanych otwartych spraw.", "No open cases are assigned to you.";
    DeskNoErasures => "Żaden z Twoich wniosków nie został odrzucony ani przedłużony.", "None of your requests was refused or extended.";
    DeskCaseLabel => "Sprawa", "Case";
    DeskErasureReason => "Powód:", "Reason:";
    DeskErasureNewDeadline => "Nowy termin:", "New deadline:";
    DeskAllResults => "Wszystkie wyniki na liście kontaktów", "All results in the contact list";
    RoleLabel => "Rola", "Role";
    PasswordChangedAt => "Hasło zmienione", "Password changed";
    PasswordExpiresAt => "Hasło wygasa", "Password expires";
    Never => "nigdy", "never";
    SystemTitle => "System", "System";
    SystemVersion => "Wersja", "Version";
    SystemDatabase => "Baza danych", "Database";

    // Roles
    RoleConsultant => "konsultant", "consultant";
    RoleManager => "menedżer", "manager";
    RoleAdministrator => "administrator", "administrator";

    // Users
    UsersTitle => "Użytkownicy", "Users";
    UsersAdd => "Nowy użytkownik", "New user";
    UsersAddButton => "Dodaj", "Add";
    DisplayNameLabel => "Imię i nazwisko", "Full name";
    StatusLabel => "Stan", "Status";
    UserActive => "aktywny", "active";
    UserDisabled => "zablokowany", "disabled";
    UserDisable => "Zablokuj", "Disable";
    UserEnable => "Odblokuj", "Enable";
    UserResetPassword => "Resetuj hasło", "Reset password";
    IssuedPasswordIntro => "Jednorazowe hasło (pokazywane tylko teraz; użytkownik zmieni je przy logowaniu) dla", "One-time password (shown only now; the user changes it at sign-in) for";
    SaveButton => "Zapisz", "Save";
    Saved => "Zapisano.", "Saved.";

    // Password policy
    PolicyTitle => "Polityka haseł", "Password policy";
    PolicyPreset => "Zestaw reguł", "Rule set";
    PolicyPresetSpec => "Domyślna: min. 8 znaków, małe i wielkie litery, cyfra lub znak specjalny, zmiana co 30 dni", "Default: 8+ characters, lower and upper case, a digit or special character, change every 30 days";
    PolicyPresetNist => "ASVS / NIST: min. 12 znaków, bez reguł składu, bez wygasania", "ASVS / NIST: 12+ characters, no composition rules, no expiry";
    PolicyPresetCustom => "Własna (pola poniżej)", "Custom (the fields below)";
    PolicyMaxAge => "Wymuszona zmiana po dniach (0 = nigdy)", "Forced change after days (0 = never)";
    PolicyAlways => "Zawsze: nie równe obecnemu ani 5 poprzednim hasłom, nie z listy popularnych haseł, co najmniej 64 znaki dozwolone, wklejanie dozwolone.", "Always: not equal to the current or the last 5 passwords, not on the list of common passwords, at least 64 characters accepted, paste allowed.";

    // Audit
    AuditTitle => "Dziennik audytu", "Audit trail";
    AuditWhen => "Kiedy", "When";
    AuditWho => "Kto", "Who";
    AuditWhat => "Zdarzenie", "Event";
    AuditSubject => "Dotyczy", "Subject";
    AuditFrom => "Skąd", "From";
    AuditOutcome => "Wynik", "Outcome";
    OlderEntries => "Starsze wpisy", "Older entries";

    // Contacts
    NavContacts => "Kontakty", "Contacts";
    ContactsTitle => "Kontakty", "Contacts";
    SearchLabel => "Szukaj: telefon, e-mail, PESEL, NIP albo imię i nazwisko", "Search: phone, e-mail, PESEL, NIP or name";
    SearchButton => "Szukaj", "Search";
    ContactNew => "Nowy kontakt", "New contact";
    NextPage => "Następna strona", "Next page";
    FirstPage => "Pierwsza strona", "First page";
    NoContactsFound => "Nie znaleziono kontaktów.", "No contacts found.";
    ColName => "Imię i nazwisko / firma", "Name / company";
    ColPhone => "Telefon", "Phone";
    ColEmail => "E-mail", "E-mail";
    ColCity => "Miejscowość", "Town";
    ContactCardTitle => "Karta kontaktu", "Contact card";
    KindLabel => "Rodzaj", "Kind";
    KindPerson => "Osoba", "Person";
    KindCompany => "Firma", "Company";
    FirstNameLabel => "Imię", "First name";
    LastNameLabel => "Nazwisko", "Last name";
    CompanyLabel => "Nazwa firmy", "Company name";
    PhonesLabel => "Telefony", "Phones";
    EmailsLabel => "Adresy e-mail", "E-mail addresses";
    AddPhone => "Dodaj telefon", "Add a phone";
    AddEmail => "Dodaj e-mail", "Add an e-mail";
    RemoveRow => "Usuń", "Remove";
    ForCall => "Rozmowy", "Calls";
    ForSms => "SMS", "SMS";
    ForEmail => "E-mail", "E-mail";
    AddressLabel => "Adres korespondencyjny", "Postal address";
    StreetLabel => "Ulica i numer", "Street and number";
    PostalCodeLabel => "Kod pocztowy", "Postal code";
    CityLabel => "Miejscowość", "Town";
    PeselLabel => "PESEL", "PESEL";
    NipLabel => "NIP", "NIP (tax id)";
    NotesLabel => "Notatki", "Notes";
    MoreActions => "Więcej akcji", "More actions";
    CreatedAt => "Utworzono", "Created";
    UpdatedAt => "Zmieniono", "Changed";
    ContactStateActive => "aktywny", "active";
    ContactStateErasurePending => "oczekuje na usunięcie danych", "erasure pending";
    ContactStateErased => "dane osobowe usunięte", "personal data erased";
    ContactStateRestricted => "przetwarzanie ograniczone", "processing restricted";

    // Cases
    CasesTitle => "Sprawy", "Cases";
    CaseNew => "Nowa sprawa", "New case";
    NoCases => "Brak spraw.", "No cases.";
    CaseCardTitle => "Karta sprawy", "Case card";
    SubjectLabel => "Temat", "Subject";
    DescriptionLabel => "Opis", "Description";
    CaseStatusLabel => "Status", "Status";
    CaseStatusNew => "nowa", "new";
    CaseStatusInProgress => "w toku", "in progress";
    CaseStatusClosed => "zamknięta", "closed";
    CaseChannelLabel => "Kanał zgłoszenia", "Came by";
    ChannelPhone => "telefon", "phone";
    ChannelEmail => "e-mail", "e-mail";
    ChannelSms => "SMS", "SMS";
    ChannelChat => "czat", "chat";
    ChannelWeb => "formularz WWW", "web form";
    ChannelLetter => "list", "letter";
    ChannelInPerson => "osobiście", "in person";
    AssigneeLabel => "Przypisana do", "Assigned to";
    Unassigned => "nieprzypisana", "unassigned";
    CaseContactTitle => "Dane kontaktu", "Contact's data";
    OpenContactCard => "Karta kontaktu", "Contact card";

    // Consents
    NavConsents => "RODO: Zgody", "GDPR: Consents";
    ConsentsTitle => "Zgody", "Consents";
    ConsentDefinitionsTitle => "Zgody", "Consents";
    ConsentDefinitionsIntro => "Zgody i formuły oświadczeń, które konsultanci odczytują podczas rozmowy. Zmiana treści formuły tworzy nową wersję; każda zgoda zachowuje wersję, którą usłyszała osoba.", "Consents and the statements consultants read out during a call. Changing a statement creates a new version; every grant keeps the version the person heard.";
    ConsentDefinitionNew => "Nowa zgoda", "New consent";
    ConsentNameLabel => "Nazwa", "Name";
    ConsentPurposeLabel => "Cel przetwarzania", "Purpose of processing";
    LegalBasisLabel => "Podstawa prawna", "Legal basis";
    ConsentChannelLabel => "Kanał", "Channel";
    PositionLabel => "Kolejność", "Order";
    StatementLabel => "Formuła oświadczenia", "Statement";
    BalancingNoteLabel => "Test równowagi (dla prawnie uzasadnionego interesu)", "Balancing test (for legitimate interest)";
    MarketingLabel => "Marketing bezpośredni", "Direct marketing";
    RequiredLabel => "Wymagalność (wymagana przed zapisaniem sprawy)", "Required (before a case is saved)";
    ActiveLabel => "Aktywna", "Active";
    InactiveBadge => "nieaktywna", "inactive";
    BasisConsent => "zgoda (art. 6 ust. 1 lit. a)", "consent (Art. 6(1)(a))";
    BasisContract => "umowa (art. 6 ust. 1 lit. b)", "contract (Art. 6(1)(b))";
    BasisLegalObligation => "obowiązek prawny (art. 6 ust. 1 lit. c)", "legal obligation (Art. 6(1)(c))";
    BasisVitalInterest => "żywotny interes (art. 6 ust. 1 lit. d)", "vital interests (Art. 6(1)(d))";
    BasisPublicTask => "zadanie publiczne (art. 6 ust. 1 lit. e)", "public task (Art. 6(1)(e))";
    BasisLegitimateInterest => "prawnie uzasadniony interes (art. 6 ust. 1 lit. f)", "legitimate interest (Art. 6(1)(f))";
    ConsentChannelAny => "dowolny", "any";
    ConsentChannelCall => "rozmowa telefoniczna", "phone call";
    ConsentChannelSms => "SMS", "SMS";
    ConsentChannelEmail => "e-mail", "e-mail";
    ConsentChannelAutomatedCall => "automatyczne połączenia", "automated calls";
    DecisionGranted => "wyrażona", "granted";
    DecisionRefused => "odmowa", "refused";
    DecisionWithdrawn => "wycofana", "withdrawn";
    DecisionNeverAsked => "nie pytano", "never asked";
    MethodLabel => "Sposób", "How";
    MethodCall => "rozmowa", "call";
    MethodEmail => "e-mail", "e-mail";
    MethodSms => "SMS", "SMS";
    MethodWebForm => "formularz WWW", "web form";
    MethodImport => "import", "import";
    MethodInPerson => "osobiście", "in person";
    MethodLetter => "list", "letter";
    EvidenceLabel => "Dowód (nagranie wav, mp3, ogg lub wiadomość .eml)", "Evidence (a wav, mp3 or ogg recording, or an .eml message)";
    EvidenceShowEmail => "Pokaż wiadomość", "Show the message";
    ActionGrant => "Wyraża zgodę", "Grants";
    ActionRefuse => "Odmawia", "Refuses";
    ActionWithdraw => "Wycofuje zgodę", "Withdraws";
    RequiredBadge => "wymagana", "required";
    MarketingBadge => "marketing", "marketing";
    HistoryTitle => "Historia", "History";
    ConsentIconTitle => "Zgody", "Consents";
    ConsentIconMissing => "Brakuje wymaganych zgód:", "Required consents missing:";
    ObjectionLabel => "Sprzeciw wobec marketingu (art. 21 ust. 2)", "Objection to marketing (Art. 21(2))";
    ObjectionYes => "zgłoszony", "recorded";
    ObjectionNo => "brak", "none";
    ObjectionRecord => "Zgłoś sprzeciw", "Record the objection";
    ObjectionWithdraw => "Wycofaj sprzeciw", "Withdraw the objection";
    BackToData => "Wróć do danych", "Back to the data";
    IconCall => "Rozmowa telefoniczna", "Phone call";
    IconEmail => "E-mail", "E-mail";
    IconSms => "SMS", "SMS";
    CommunicationTitle => "Zarejestruj kontakt", "Log a contact";
    CommunicationLog => "Zarejestruj", "Log";
    CommunicationLogged => "Zarejestrowano.", "Logged.";
    NoteLabel => "Notatka", "Note";
    PurposeService => "obsługa", "service";
    PurposeMarketing => "marketing", "marketing";
    ContactBlocked => "Kontakt niedozwolony:", "Contact not allowed:";
    BlockNoConsent => "brak zgody na ten kanał.", "no consent for this channel.";
    BlockWithdrawn => "zgoda została wycofana.", "the consent was withdrawn.";
    BlockObjection => "osoba wniosła sprzeciw (art. 21 RODO).", "the person objected (Art. 21 GDPR).";
    BlockErasurePending => "dane oczekują na usunięcie.", "the data awaits erasure.";
    BlockErased => "dane osobowe usunięto.", "the personal data was erased.";
    BlockRestricted => "przetwarzanie ograniczone.", "processing is restricted.";
    BlockNoChannel => "brak numeru lub adresu oznaczonego dla tego kanału.", "no number or address marked for this channel.";
    BlockInvalidNumber => "to nie jest prawidłowy numer telefonu.", "this is not a valid phone number.";

    // Sources, history, recipients, disclosures
    NavSources => "RODO: Źródła danych", "GDPR: Data sources";
    NavRecipients => "RODO: Odbiorcy", "GDPR: Recipients";
    NavDisclosures => "RODO: Udostępnienia", "GDPR: Disclosures";
    SourcesTitle => "Źródła danych osobowych", "Personal-data sources";
    SourceNew => "Nowe źródło", "New source";
    SourceNameLabel => "Nazwa", "Name";
    SourceKindLabel => "Rodzaj", "Kind";
    SourceSellerLabel => "Sprzedawca (kupiona baza)", "Seller (purchased database)";
    SourceAcquiredOnLabel => "Data pozyskania (RRRR-MM-DD)", "Acquired on (YYYY-MM-DD)";
    SourceBasisLabel => "Podstawa pozyskania", "Basis of acquisition";
    SourceConsultant => "zebrane przez konsultanta", "collected by a consultant";
    SourceWebForm => "formularz WWW", "web form";
    SourceImportFile => "plik importu", "import file";
    SourcePurchased => "kupiona baza danych", "purchased database";
    SourcePartner => "partner", "partner";
    SourceLabel => "Źródło", "Source";
    ReasonLabel => "Powód zmiany", "Reason for the change";
    TabData => "Dane", "Data";
    TabActivities => "Aktywności", "Activities";
    ReadersTitle => "Kto otwierał kartę", "Who opened the card";
    ReadersListed => "w wynikach wyszukiwania", "in search results";
    ActivityFields => "Zmiana danych:", "Data changed:";
    ActivityConsent => "Zgoda:", "Consent:";
    ActivityCommunication => "Kontakt:", "Contact:";
    ActivityDisclosure => "Udostępnienie:", "Disclosure:";
    RecipientsTitle => "Odbiorcy danych", "Data recipients";
    RecipientNew => "Nowy odbiorca", "New recipient";
    RecipientNameLabel => "Nazwa", "Name";
    RecipientRoleLabel => "Rola", "Role";
    RoleProcessor => "podmiot przetwarzający", "processor";
    RoleController => "niezależny administrator", "independent controller";
    RolePublicAuthority => "organ publiczny", "public authority";
    ScopeTitle => "Zakres udostępniania: pole i podstawa prawna", "Sharing scope: field and legal basis";
    ScopeNotShared => "nie udostępniane", "not shared";
    AgreementsTitle => "Umowy powierzenia", "Processor agreements";
    AgreementAdd => "Dodaj umowę powierzenia", "Add a processor agreement";
    AgreementSubjectDuration => "Przedmiot i czas trwania przetwarzania", "Subject and duration of processing";
    AgreementNaturePurpose => "Charakter i cel przetwarzania", "Nature and purpose of processing";
    AgreementDataTypes => "Rodzaj danych osobowych", "Types of personal data";
    AgreementSubjectCategories => "Kategorie osób, których dane dotyczą", "Categories of data subjects";
    AgreementObligations => "Obowiązki i prawa administratora", "The controller's obligations and rights";
    AgreementSignedOn => "Data podpisania", "Signed on";
    AgreementDocument => "Podpisany dokument (PDF)", "Signed document (PDF)";
    DisclosuresTitle => "Udostępnienia danych", "Disclosures";
    DisclosureNew => "Zarejestruj udostępnienie", "Record a disclosure";
    RecipientLabel => "Odbiorca", "Recipient";
    DisclosureContacts => "Kontakty (Id)", "Contacts (Id)";
    DisclosurePurpose => "Cel", "Purpose";
    DisclosureFields => "Udostępnione pola", "Fields disclosed";
    DisclosureRecordButton => "Zarejestruj", "Record";
    FilterAll => "wszyscy", "all";
    FilterFrom => "Od dnia", "From";
    FilterTo => "Do dnia", "To";
    FilterButton => "Filtruj", "Filter";

    // Right to be forgotten
    NavErasure => "RODO rekordy do zapomnienia", "GDPR records to forget";
    ErasureQueueTitle => "RODO rekordy do zapomnienia", "GDPR records to forget";
    ErasureAsk => "Usuń dane osobowe", "Erase personal data";
    ErasureUndo => "Cofnij usunięcie danych osobowych", "Undo the erasure of personal data";
    ErasureDone => "Dane osobowe usunięte", "Personal data erased";
    ErasureConfirm => "Dane tego rekordu zostaną oznaczone do usunięcia. Ta opcja w tym momencie ich nie usunie.", "This record's data will be marked for erasure. This option does not erase it now.";
    ErasureGroundLabel => "Podstawa (art. 17 ust. 1 RODO)", "Ground (Art. 17(1) GDPR)";
    GroundNoLongerNeeded => "a) dane nie są już niezbędne", "(a) no longer necessary";
    GroundConsentWithdrawn => "b) cofnięcie zgody", "(b) consent withdrawn";
    GroundObjection => "c) sprzeciw", "(c) objection";
    GroundUnlawful => "d) przetwarzanie niezgodne z prawem", "(d) unlawful processing";
    GroundLegalObligation => "e) obowiązek prawny", "(e) legal obligation";
    GroundChild => "f) dane dziecka (usługi społeczeństwa informacyjnego)", "(f) a child's data (information society services)";
    ErasurePending => "oczekuje", "pending";
    ErasureWithdrawn => "cofnięty", "withdrawn";
    ErasureApproved => "zatwierdzony", "approved";
    ErasureRefused => "odrzucony", "refused";
    ErasurePendingNotice => "Dane oznaczone do usunięcia, czekają na decyzję menedżera. Wniosek złożył(a):", "Data marked for erasure, awaiting a manager's decision. Asked by:";
    ErasureRefusedNotice => "Wniosek o usunięcie danych odrzucono. Powód:", "The erasure request was refused. Reason:";
    ErasureQueueEmpty => "Brak rekordów do zapomnienia.", "No records to forget.";
    ErasureApproveSelected => "Usuń dane osobowe zaznaczonych", "Erase the selected";
    ErasureSelect => "Zaznacz", "Select";
    ErasureRequestedBy => "Zgłosił(a)", "Asked by";
    ErasureRequestedAt => "Data zgłoszenia", "Requested on";
    ErasureUpdatedAt => "Ostatnia zmiana", "Last change";
    ErasureDeadline => "Termin (art. 12 ust. 3)", "Deadline (Art. 12(3))";
    DaysLeft => "dni", "days";
    Overdue => "po terminie", "overdue";
    ErasureExtendedBadge => "przedłużony", "extended";
    ErasureMore => "Odrzuć lub przedłuż", "Refuse or extend";
    ErasureRefuseReason => "Powód odmowy (art. 12 ust. 4)", "Reason for refusal (Art. 12(4))";
    ErasureRefuse => "Odrzuć", "Refuse";
    ErasureExtendBy => "Przedłuż o miesiące", "Extend by months";
    ErasureExtendReason => "Uzasadnienie przedłużenia", "Reason for the extension";
    ErasureExtend => "Przedłuż", "Extend";
    LegalHoldsTitle => "Blokady prawne (art. 17 ust. 3 lit. b, e)", "Legal holds (Art. 17(3)(b), (e))";
    LegalHoldContact => "Id kontaktu", "Contact Id";
    LegalHoldReason => "Powód", "Reason";
    LegalHoldUntil => "do dnia", "until";
    LegalHoldAddButton => "Dodaj blokadę", "Add a hold";
    LegalHoldRelease => "Zdejmij", "Release";
    LegalHoldBadge => "blokada prawna", "legal hold";
    ActivityErasureRequested => "Wniosek o usunięcie danych:", "Erasure requested:";
    ActivityErasureDecided => "Decyzja o usunięciu danych:", "Erasure decision:";

    // Restriction of processing (Art. 18)
    RestrictAction => "Ogranicz przetwarzanie", "Restrict processing";
    RestrictConfirm => "Dane zostaną zachowane i będą widoczne, ale nie będzie można ich zmieniać, udostępniać, eksportować ani używać do kontaktu z tą osobą, dopóki ograniczenie nie zostanie zniesione.", "The data will be kept and shown, but it cannot be changed, disclosed, exported or used to contact this person until the restriction is lifted.";
    RestrictionGroundLabel => "Podstawa (art. 18 ust. 1 RODO)", "Ground (Art. 18(1) GDPR)";
    RestrictionGroundAccuracy => "a) osoba kwestionuje prawidłowość danych", "(a) the person contests the accuracy of the data";
    RestrictionGroundUnlawful => "b) przetwarzanie jest niezgodne z prawem, a osoba sprzeciwia się usunięciu danych", "(b) processing is unlawful and the person opposes erasure";
    RestrictionGroundLegalClaims => "c) dane nie są już potrzebne, ale są potrzebne osobie do dochodzenia roszczeń", "(c) no longer needed, but the person needs them for legal claims";
    RestrictionGroundObjection => "d) osoba wniosła sprzeciw (art. 21 ust. 1) — do czasu jego rozpatrzenia", "(d) the person objected (Art. 21(1)), until it is decided";
    RestrictionNoteLabel => "Notatka", "Note";
    RestrictionNotice => "Przetwarzanie danych ograniczone (art. 18 RODO): dane są przechowywane i widoczne, ale nie wolno ich zmieniać, udostępniać, eksportować ani używać do kontaktu.", "Processing restricted (Art. 18 GDPR): the data is kept and shown, but it may not be changed, disclosed, exported or used to contact the person.";
    RestrictionSince => "Od", "Since";
    RestrictionLift => "Znieś ograniczenie", "Lift the restriction";
    Cancel => "Anuluj", "Cancel";
    RestrictionInformed => "Osoba została poinformowana o zniesieniu ograniczenia (art. 18 ust. 3 RODO)", "The person was told the restriction is being lifted (Art. 18(3) GDPR)";
    ActivityRestricted => "Ograniczenie przetwarzania:", "Processing restricted:";
    ActivityRestrictionLifted => "Zniesienie ograniczenia przetwarzania (osoba poinformowana)", "Restriction lifted (the person was told)";
    ErrContactRestricted => "Przetwarzanie danych tego kontaktu jest ograniczone (art. 18 RODO): nie można ich zmieniać ani udostępniać, dopóki ograniczenie nie zostanie zniesione.", "Processing of this contact's data is restricted (Art. 18 GDPR): it cannot be changed or disclosed until the restriction is lifted.";
    ErrAlreadyRestricted => "Przetwarzanie danych tego kontaktu jest już ograniczone.", "Processing of this contact's data is already restricted.";
    ErrNotRestricted => "Przetwarzanie danych tego kontaktu nie jest ograniczone.", "Processing of this contact's data is not restricted.";
    ErrRestrictionErasurePending => "Dane tego kontaktu czekają na usunięcie: najpierw cofnij wniosek o usunięcie albo poczekaj na decyzję.", "This contact's data is waiting for erasure: take the request back or wait for the decision first.";
    ErrRestrictionInformed => "Przed zniesieniem ograniczenia poinformuj osobę i zaznacz to pole.", "Tell the person before lifting the restriction, and tick this box.";
    SubjectExportMenu => "Eksport danych osoby", "Export the person's data";
    ActivityDataExported => "Wydano kopię danych osoby (art. 15 i 20 RODO):", "A copy of the person's data was handed out (Art. 15 and 20 GDPR):";
    SubjectDocTitle => "Informacja o danych osobowych (art. 15 RODO)", "Information about personal data (Art. 15 GDPR)";
    SubjectDocGenerated => "Stan na", "As of";
    SubjectDocContact => "Kontakt nr", "Contact no.";
    SubjectDocIntro => "Poniżej są wszystkie dane osobowe tej osoby przechowywane w systemie Zgoda, ich źródła i historia zmian, zgody wraz z treścią oświadczeń, sprawy, kontakty, udostępnienia danych oraz złożone wnioski. Te same dane w formacie do odczytu maszynowego (art. 20 RODO) zawiera plik {json}.", "Below is all personal data of this person that Zgoda holds, its sources and history of changes, consents with the statements' wording, cases, contacts, disclosures and requests. The same data, machine-readable (Art. 20 GDPR), is in the file {json}.";
    SubjectDocData => "Dane osobowe", "Personal data";
    SubjectDocField => "Pole", "Field";
    SubjectDocValue => "Wartość", "Value";
    SubjectDocConsents => "Zgody i oświadczenia", "Consents and statements";
    SubjectDocNone => "Brak.", "None.";
    SubjectDocPurpose => "Cel", "Purpose";
    SubjectDocLegalBasis => "Podstawa prawna", "Legal basis";
    SubjectDocChannel => "Kanał", "Channel";
    SubjectDocStatementVersion => "treść oświadczenia w wersji", "statement version";
    SubjectDocEvidence => "dowód", "evidence";
    SubjectDocObjection => "Wniesiono sprzeciw wobec marketingu bezpośredniego (art. 21 ust. 2 RODO).", "An objection to direct marketing is on record (Art. 21(2) GDPR).";
    SubjectDocChanges => "Historia zmian danych i ich źródła", "History of changes and their sources";
    SubjectDocWhen => "Kiedy", "When";
    SubjectDocWhat => "Co", "What";
    SubjectDocOld => "Było", "Was";
    SubjectDocNew => "Jest", "Became";
    SubjectDocActivities => "Kontakty, udostępnienia i wnioski", "Contacts, disclosures and requests";
    SubjectDocRetention => "Okres przechowywania", "Retention";
    SubjectDocRetentionNone => "Żadna reguła okresu przechowywania nie dotyczy obecnie tych danych; są przechowywane do ustania celu, w jakim je zebrano, albo do ich usunięcia na wniosek.", "No retention rule applies to this data now; it is kept until the purpose it was collected for ends, or until it is erased on request.";
    ErrImportRestricted => "Przetwarzanie danych tej osoby jest ograniczone.", "Processing of this person's data is restricted.";

    // Errors
    ErrErasureDecided => "O tym wniosku już zdecydowano.", "This request has already been decided.";
    ErrErasureAlreadyRequested => "Dane tego rekordu są już oznaczone do usunięcia.", "This record's data is already marked for erasure.";
    ErrErasureExtendOnce => "Termin można przedłużyć tylko raz, dopóki wniosek czeka.", "The deadline can be extended once, while the request waits.";
    ErrLegalHold => "Blokada prawna wstrzymuje usunięcie tych danych.", "A legal hold keeps this data.";
    SearchTitle => "Szukaj", "Search";
    NavSearch => "Szukaj", "Search";
    NavDatabaseGroup => "Baza danych i przydzielanie", "Database and assignment";
    SearchExactNote => "Telefon, e-mail, PESEL, NIP, miasto i kod pocztowy: tylko dokładne dopasowanie. Nazwa: całe słowa, wszystkie muszą pasować.", "Phone, e-mail, PESEL, NIP, city and postal code: exact match only. Name: whole words, all must match.";
    SearchName => "Nazwa (słowa imienia, nazwiska lub firmy)", "Name (words of the name or company)";
    SearchPesel => "PESEL", "PESEL";
    SearchNip => "NIP", "NIP";
    SearchPostalCode => "Kod pocztowy", "Postal code";
    SearchSource => "Źródło danych", "Data source";
    SearchImport => "Import", "Import";
    SearchState => "Stan", "State";
    SearchCreated => "Utworzono", "Created";
    SearchChanged => "Zmieniono", "Changed";
    SearchLastContact => "Ostatni kontakt", "Last contact";
    SearchFrom => "od", "from";
    SearchTo => "do", "to";
    SearchMarketing => "Marketing dozwolony kanałem", "Marketing allowed on";
    SearchCaseStatus => "Ma sprawę o statusie", "Has a case in status";
    SearchOpenCase => "Ma otwartą sprawę", "Has an open case";
    SearchConsents => "Zgody", "Consents";
    SearchTotal => "Znaleziono kontaktów:", "Contacts found:";
    SearchTotalOver => "ponad 10 000", "more than 10,000";
    SearchExport => "Eksportuj", "Export";
    SearchColId => "Id", "Id";
    SearchPrevious => "Poprzednia strona", "Previous page";
    SearchSaved => "Zapisane wyszukiwania", "Saved searches";
    SearchSaveName => "Nazwa wyszukiwania", "Search name";
    SearchSave => "Zapisz wyszukiwanie", "Save search";
    SearchSavedDelete => "Usuń", "Delete";
    SearchErrChoice => "Wybierz wartość z listy.", "Choose a value from the list.";
    SearchConsentGranted => "udzielona", "granted";
    SearchConsentRefused => "odmowa", "refused";
    SearchConsentWithdrawn => "wycofana", "withdrawn";
    SearchConsentNever => "nigdy nie pytano", "never asked";
    ErrDate => "Podaj datę w formacie RRRR-MM-DD.", "Enter a date as YYYY-MM-DD.";
    ErrDateOrder => "Data końcowa nie może być wcześniejsza niż początkowa.", "The end date cannot be before the start date.";
    ErrOutsideScope => "Ten odbiorca nie może otrzymać pola:", "This recipient may not receive the field:";
    ErrContactUnknown => "Nie ma kontaktu o takim Id.", "No contact with such an Id.";
    // Objections to a purpose based on legitimate interest (Art. 21(1))
    LegitimateInterestBadge => "prawnie uzasadniony interes", "legitimate interest";
    PurposeObjectionLabel => "Sprzeciw (art. 21 ust. 1)", "Objection (Art. 21(1))";
    PurposeObjectionSince => "Sprzeciw wniesiony", "Objection since";
    PurposeObjectionRecord => "Zgłoś sprzeciw wobec tego celu", "Record an objection to this purpose";
    PurposeObjectionLift => "Uchyl sprzeciw", "Lift the objection";
    PurposeObjectionLiftGround => "Powód uchylenia", "Why it is lifted";
    ObjectionLiftWithdrawn => "osoba wycofała sprzeciw", "the person withdrew the objection";
    ObjectionLiftCompelling => "ważne prawnie uzasadnione podstawy administratora (decyzja menedżera)", "the controller's compelling legitimate grounds (a manager's decision)";
    ActivityObjectionRecorded => "Sprzeciw wobec przetwarzania (art. 21 ust. 1)", "Objection to processing (Art. 21(1))";
    ActivityObjectionLifted => "Uchylenie sprzeciwu", "Objection lifted";
    ErrObjectionLegitimateInterestOnly => "Sprzeciw z art. 21 ust. 1 dotyczy celu opartego na prawnie uzasadnionym interesie. Zgodę się wycofuje, a wobec marketingu służy sprzeciw z art. 21 ust. 2.", "An objection under Art. 21(1) concerns a purpose based on legitimate interest. A consent is withdrawn; marketing has the objection of Art. 21(2).";
    ErrObjectionNotInForce => "Wobec tego celu nie ma wniesionego sprzeciwu.", "No objection to this purpose is in force.";
    ErrObjectionOverrideManagers => "Uchylić sprzeciw z powodu ważnych podstaw administratora może tylko menedżer.", "Only a manager can override an objection on compelling grounds.";
    // Sharing with other entities and processor agreements
    SharingLabel => "Udostępnianie danych innym podmiotom", "Sharing data with other entities";
    ErrSharingNeedsConsent => "Zgoda na udostępnianie danych wymaga podstawy: zgoda i nie może być zgodą marketingową.", "A consent to sharing needs consent as its basis and cannot be a marketing consent.";
    ErrRequiredLegitimateInterest => "Cel oparty na prawnie uzasadnionym interesie nie wymaga decyzji osoby, więc nie może być wymagany; osoba może wnieść sprzeciw.", "A purpose based on legitimate interest needs no decision from the person, so it cannot be required; the person may object.";
    ErrNoSharingConsent => "Udostępnienie na podstawie zgody wymaga, by każda z osób udzieliła zgody na udostępnianie danych innym podmiotom. Co najmniej jedna z nich jej nie udzieliła lub ją wycofała.", "A disclosure based on consent needs every person's granted consent to sharing with other entities. At least one of them has not granted it or withdrew it.";
    ErrNoAgreementInForce => "Temu podmiotowi przetwarzającemu można udostępnić dane dopiero po zawarciu umowy powierzenia (art. 28 RODO). Dodaj umowę z datą podpisania.", "Data can be disclosed to this processor only under a processor agreement (Art. 28 GDPR). Add the agreement with its signing date.";
    // The example consents
    ConsentExamplesTitle => "Przykładowy zestaw zgód", "An example set of consents";
    ConsentExamplesIntro => "Nie zdefiniowano jeszcze żadnej zgody. Możesz zacząć od przykładowego zestawu dla contact center i później zmienić treści:", "No consent is defined yet. You can start from an example set for a contact center and change the texts later:";
    ConsentExamplesAdopt => "Dodaj przykładowe zgody", "Add the example consents";
    ErrConsentExamplesNotEmpty => "Przykładowe zgody można dodać tylko wtedy, gdy nie zdefiniowano jeszcze żadnej zgody.", "The example consents can be added only while no consent is defined.";
    // Retention ("Okresy przechowywania")
    NavRetention => "Okresy przechowywania", "Retention periods";
    RetentionTitle => "Okresy przechowywania", "Retention periods";
    RetentionIntro => "Jak długo dane mogą być przechowywane w danym celu i od kiedy liczyć ten czas. Dane kontaktu są przechowywane, dopóki obowiązuje choć jeden cel; gdy wygasną wszystkie, codzienne zadanie kieruje kontakt do kolejki „RODO rekordy do zapomnienia” albo usuwa dane, zgodnie z regułą. Blokada prawna zawsze ma pierwszeństwo, a kontakty z ograniczonym przetwarzaniem są pomijane.", "How long data may be kept for a purpose and from which moment. A contact's data is kept while at least one purpose holds; once every one has ended, the daily job sends the contact to the queue \"RODO rekordy do zapomnienia\" or erases the data, as the rule says. A legal hold always wins, and contacts whose processing is restricted are left alone.";
    RetentionRuleNew => "Nowa reguła", "New rule";
    RetentionNameLabel => "Nazwa reguły", "Rule name";
    RetentionScopeLabel => "Cel i początek okresu", "Purpose and start of the period";
    RetentionScopeConsent => "zgoda: od wycofania lub odmowy zgody", "consent: from its withdrawal or refusal";
    RetentionScopeCases => "obsługa zgłoszeń: od zamknięcia ostatniej sprawy", "handling cases: from the last case closed";
    RetentionScopeSource => "źródło danych: od ostatniego kontaktu z osobą", "data source: from the last contact with the person";
    RetentionScopeNoPurpose => "brak celu: od utworzenia rekordu", "no purpose: from the record's creation";
    RetentionDefinitionLabel => "Zgoda (dla celu „zgoda”)", "Consent (for the purpose \"consent\")";
    RetentionSourceLabel => "Źródło danych (dla celu „źródło danych”)", "Data source (for the purpose \"data source\")";
    RetentionMonthsLabel => "Miesiące", "Months";
    RetentionDaysLabel => "Dni", "Days";
    RetentionOutcomeLabel => "Po wygaśnięciu wszystkich celów", "When every purpose has ended";
    RetentionOutcomeQueue => "do kolejki menedżerów (dane nie są już niezbędne)", "to the managers' queue (data no longer needed)";
    RetentionOutcomeErase => "automatyczne usunięcie danych", "automatic erasure";
    ErrRetentionPeriod => "Podaj okres do 50 lat (miesiące 0–600, dni 0–3650); okres zerowy tylko dla zgody i spraw, gdy cel kończy się zdarzeniem.", "Give a period up to 50 years (months 0–600, days 0–3650); a zero period only for a consent or cases, where an event ends the purpose.";
    RetentionPreviewTitle => "Podgląd i uruchomienie", "Preview and run";
    RetentionPreviewIntro => "Podgląd pokazuje, co zadanie zrobiłoby teraz, niczego nie zmieniając. Zadanie uruchamia się samo raz na dobę.", "The preview shows what the job would do now, changing nothing. The job runs by itself once a day.";
    RetentionPreviewButton => "Podgląd", "Preview";
    RetentionRunNow => "Uruchom teraz", "Run now";
    RetentionRunRequested => "Zadanie uruchomione. Wynik pojawi się w raporcie poniżej.", "The job was started. Its result appears in the report below.";
    RetentionPreviewTotal => "Kontakty, których wszystkie cele wygasły:", "Contacts whose every purpose has ended:";
    RetentionExamined => "sprawdzono", "examined";
    RetentionEndedColumn => "Cel wygasł (reguła: data)", "Purpose ended (rule: date)";
    RetentionHeld => "blokada prawna", "legal hold";
    RetentionRunsTitle => "Raport: przebiegi zadania", "Report: runs of the job";
    RetentionRefresh => "Odśwież", "Refresh";
    RetentionNoRuns => "Zadanie jeszcze się nie odbyło.", "The job has not run yet.";
    RetentionRunStarted => "Uruchomienie", "Started";
    RetentionRunState => "Stan", "State";
    RetentionQueued => "do kolejki", "queued";
    RetentionErased => "usunięto", "erased";
    RetentionByRule => "Według reguł (do kolejki / usunięto)", "By rule (queued / erased)";
    RetentionTriggerSchedule => "codziennie", "daily";
    RetentionTriggerManual => "na żądanie", "on demand";
    RetentionRunQueued => "oczekuje", "queued";
    RetentionRunRunning => "w toku", "running";
    RetentionRunDone => "zakończony", "finished";
    RetentionMonthsShort => "mies.", "months";
    RetentionDaysShort => "dni", "days";
    SubjectDocRetentionUntil => "dane w tym celu przechowujemy do", "data for this purpose is kept until";
    SubjectDocRetentionOngoing => "dane w tym celu przechowujemy, dopóki cel trwa", "data for this purpose is kept while the purpose lasts";
    ErasureByRetention => "okres przechowywania", "retention period";
    ErrAgreementProcessorOnly => "Umowę powierzenia zawiera się z podmiotem przetwarzającym.", "A processor agreement is made with a processor.";
    ErrDocumentPdf => "Podpisany dokument musi być plikiem PDF.", "The signed document must be a PDF file.";
    ErrMarketingOneChannel => "Zgoda marketingowa dotyczy jednego kanału: wybierz rozmowę, SMS, e-mail lub automatyczne połączenia.", "A marketing consent covers one channel: choose call, SMS, e-mail or automated calls.";
    ErrMarketingNeedsConsent => "Marketing bezpośredni wymaga podstawy: zgoda.", "Direct marketing needs consent as its basis.";
    ErrEvidenceEmpty => "Plik jest pusty.", "The file is empty.";
    ErrEvidenceType => "Dozwolone są nagrania wav, mp3, ogg i wiadomości .eml.", "Only wav, mp3 and ogg recordings and .eml messages are accepted.";
    ErrEvidenceTooLarge => "Plik jest za duży (nagranie do 20 MB, wiadomość do 5 MB).", "The file is too large (recordings up to 20 MB, messages up to 5 MB).";
    ErrConsentsRequired => "Najpierw zaznacz wymagane zgody:", "Mark the required consents first:";
    ErrPersonNameRequired => "Podaj imię lub nazwisko.", "Enter a first or last name.";
    ErrTooManyChannels => "Najwyżej 10 pozycji.", "At most 10 entries.";
    ErrDuplicateValue => "Ta wartość jest już na liście.", "This value is already on the list.";
    ErrContactErased => "Dane osobowe tego kontaktu zostały usunięte.", "This contact's personal data was erased.";
    ErrCaseOfOtherContact => "Ta sprawa należy do innego kontaktu.", "This case belongs to another contact.";
    ErrStaleRecord => "Ktoś zmienił ten rekord w międzyczasie. Odśwież kartę i wprowadź zmiany ponownie.", "Someone changed this record meanwhile. Reload the card and make your changes again.";
    ErrSearchNumber => "Nie rozpoznano numeru telefonu, PESEL ani NIP.", "Not a phone number, PESEL or NIP.";
    ErrAssigneeUnknown => "Nie ma takiego aktywnego użytkownika.", "No such active user.";
    ErrFixFields => "Popraw zaznaczone pola. Nic nie zostało zapisane.", "Correct the marked fields. Nothing was saved.";
    ErrUnauthenticated => "Zaloguj się, aby kontynuować.", "Sign in to continue.";
    ErrInvalidCredentials => "Nieprawidłowy login lub hasło.", "Wrong login or password.";
    ErrPasswordChangeRequired => "Najpierw zmień hasło.", "Change your password first.";
    ErrForbidden => "Nie masz uprawnień do tej operacji.", "You are not allowed to do this.";
    ErrCrossOrigin => "Żądanie odrzucone: nie pochodzi z aplikacji Zgoda.", "Request refused: it did not come from Zgoda.";
    ErrNotFound => "Nie znaleziono.", "Not found.";
    ErrInternal => "Wystąpił błąd serwera. Spróbuj ponownie.", "A server error occurred. Try again.";
    ErrTokenEndpoint => "Ta funkcja nie jest dostępna dla tokenów API albo dla wybranej roli.", "This function is not open to API tokens or to the chosen role.";
    ErrTokenAddress => "Podaj adresy IP lub sieci, np. 10.0.0.5 albo 10.0.0.0/24.", "Enter IP addresses or networks, e.g. 10.0.0.5 or 10.0.0.0/24.";
    ErrTokenDays => "Podaj liczbę dni od 1 do 3650.", "Enter a number of days from 1 to 3650.";
    ErrTokenRate => "Podaj liczbę od 1 do 10000.", "Enter a number from 1 to 10000.";
    ErrDialerTooMany => "Najwyżej 10 000 numerów w jednym zapytaniu.", "At most 10,000 numbers in one request.";
    ErrUnavailable => "Baza danych jest chwilowo niedostępna. Spróbuj ponownie za chwilę.", "The database is briefly unavailable. Try again in a moment.";
    ErrTransport => "Brak połączenia z serwerem. Spróbuj ponownie.", "No connection to the server. Try again.";
    // Import of records from a file
    NavImport => "Import z pliku", "Import from a file";
    ImportSection => "Baza danych i przydzielanie", "Database and assignment";
    ImportListTitle => "Import z pliku", "Import from a file";
    ImportRecordsButton => "Importuj rekordy", "Import records";
    ImportWizardTitle => "Importuj rekordy", "Import records";
    ImportStepFile => "1. Plik", "1. File";
    ImportStepDetails => "2. Opis, źródło i zgody", "2. Description, source and consents";
    ImportStepMapping => "3. Mapowanie pól i opcje", "3. Field mapping and options";
    ImportFileLabel => "Plik (CSV, TXT lub XLSX)", "File (CSV, TXT or XLSX)";
    ImportLoadButton => "Wczytaj dane", "Load data";
    ImportNextButton => "Dalej", "Next";
    ImportBackButton => "Wstecz", "Back";
    ImportRunButton => "Importuj", "Import";
    ImportOkButton => "OK", "OK";
    ImportEditButton => "Edycja", "Edit";
    ImportFileNameLabel => "Nazwa pliku", "File name";
    ImportEncodingLabel => "Strona kodowa", "Code page";
    ImportEncodingUncertain => "Nie udało się jednoznacznie określić strony kodowej. Wybierz ją z listy i sprawdź polskie litery w podglądzie.", "The code page could not be told for sure. Pick it from the list and check the Polish letters in the preview.";
    ImportPreviewTitle => "Podgląd (tak zostaną zaimportowane dane)", "Preview (the data as it will be imported)";
    ImportNameLabel => "Nazwa importu", "Import name";
    ImportDescriptionLabel => "Opis", "Description";
    ImportSourceLabel => "Źródło danych osobowych", "Personal-data source";
    ImportSourcePick => "— wybierz źródło —", "— pick a source —";
    ImportAddSource => "Dodaj", "Add";
    ImportConsentsLabel => "Zgody nadawane importowanym osobom", "Consents granted by the imported people";
    ImportConsentsNone => "Żadna zgoda nie jest zdefiniowana.", "No consent is defined.";
    ImportConsentsHint => "Zaznacz tylko zgody, które osoby z pliku wyraziły (dowodem jest ten import). Zgoda odmówiona lub wycofana wcześniej nie zostanie nadpisana.", "Tick only consents the people in the file gave (this import is the evidence). A consent refused or withdrawn earlier is never overwritten.";
    ImportColumnHeader => "Kolumna pliku", "File column";
    ImportSampleHeader => "Przykład", "Sample";
    ImportTargetHeader => "Pole kontaktu", "Contact field";
    ImportTemplateLabel => "Szablon mapowania", "Mapping template";
    ImportTemplateNone => "— bez szablonu —", "— no template —";
    ImportTemplateName => "Nazwa nowego szablonu", "New template's name";
    ImportTemplateSave => "Zapisz jako szablon", "Save as a template";
    ImportTemplateSaved => "Szablon zapisany.", "Template saved.";
    ImportOptionsTitle => "Opcje importu", "Import options";
    ImportDelimiterLabel => "Separator pól", "Field delimiter";
    ImportQuoteLabel => "Znak cudzysłowu", "Quote character";
    ImportHeaderLabel => "Pierwszy wiersz to nagłówek", "The first row is a header";
    ImportDuplicatesLabel => "Duplikaty (ten sam telefon lub e-mail)", "Duplicates (same phone or e-mail)";
    ImportErasedNote => "Osoby, których dane usunięto (prawo do bycia zapomnianym), są pomijane i wykazywane w raporcie.", "People whose data was erased (right to be forgotten) are skipped and listed in the report.";
    ImportPhoneTitle => "Opcje naprawy numeru", "Phone repair options";
    PhoneStripSeparators => "Usuń spacje, myślniki i nawiasy", "Remove spaces, dashes and brackets";
    PhoneInternationalPrefix => "Zamień „0048” i „48” na +48", "Turn \"0048\" and \"48\" into +48";
    PhoneLeadingZero => "Usuń początkowe 0", "Remove a leading 0";
    PhoneDefaultCountry => "Domyślny kierunkowy kraju", "Default country code";
    PhoneValidate => "Sprawdź numer w metadanych libphonenumber", "Check the number against libphonenumber metadata";
    PhoneInvalidLabel => "Niepoprawny numer", "Invalid number";
    DupSkip => "pomiń", "skip";
    DupUpdate => "zaktualizuj istniejący kontakt", "update the existing contact";
    DupAdd => "dodaj jako nowy kontakt", "add as a new contact";
    InvalidPhoneDrop => "pomiń numer", "drop the number";
    InvalidPhoneKeep => "zachowaj z oznaczeniem", "keep it, flagged";
    TargetSkip => "— pomiń —", "— skip —";
    TargetPhone => "Telefon", "Phone";
    EncUtf8 => "UTF-8", "UTF-8";
    EncWindows1250 => "Windows-1250 (Europa Środkowa)", "Windows-1250 (Central European)";
    EncIso88592 => "ISO-8859-2 (Latin-2)", "ISO-8859-2 (Latin-2)";
    EncCp852 => "CP852 (DOS Latin-2)", "CP852 (DOS Latin-2)";
    EncUtf16Le => "UTF-16 LE", "UTF-16 LE";
    EncUtf16Be => "UTF-16 BE", "UTF-16 BE";
    FormatDelimited => "CSV / TXT", "CSV / TXT";
    FormatXlsx => "XLSX", "XLSX";
    ImportDraftStatus => "szkic", "draft";
    ImportQueued => "w kolejce", "queued";
    ImportRunning => "w toku", "running";
    ImportDone => "zakończony", "finished";
    ImportFailed => "przerwany", "failed";
    ImportProgressTitle => "Import w toku", "Import running";
    ImportRowsPerSecond => "wierszy/s", "rows/s";
    ImportTimeLeft => "pozostało", "left";
    ImportReportTitle => "Raport importu", "Import report";
    ImportRowsRead => "Wczytane wiersze", "Rows read";
    ImportAdded => "Dodane", "Added";
    ImportUpdated => "Zaktualizowane", "Updated";
    ImportDuplicates => "Pominięte duplikaty", "Duplicates skipped";
    ImportErasedSkipped => "Pominięte (dane usunięte, do usunięcia lub z ograniczonym przetwarzaniem)", "Skipped (data erased, due for erasure or restricted)";
    ImportRejected => "Odrzucone", "Rejected";
    ImportPhonesRepaired => "Naprawione numery", "Phones repaired";
    ImportPhonesFlagged => "Niepoprawne numery (pominięte lub oznaczone)", "Invalid phones (dropped or flagged)";
    ImportConsentsGiven => "Zapisane zgody", "Consents recorded";
    ImportRowHeader => "Wiersz", "Row";
    ImportReasonHeader => "Powód", "Reason";
    ImportDownloadRejected => "Pobierz odrzucone wiersze (CSV)", "Download the rejected rows (CSV)";
    ImportMoreRejections => "Pokazano pierwsze odrzucenia; pełna lista jest w pliku CSV.", "The first rejections are shown; the CSV has them all.";
    ImportConfirmed => "Raport zatwierdzony.", "Report confirmed.";
    ImportNone => "Nie było jeszcze importów.", "No imports yet.";
    ImportColStatus => "Stan", "Status";
    ImportColWhen => "Kiedy", "When";
    ImportColWho => "Kto", "Who";
    ImportShowReport => "Raport", "Report";
    ImportSourceAdded => "Źródło dodane.", "Source added.";
    ImportBatchEvidence => "Import", "Import";
    HistoryImported => "Rekord utworzony importem", "Record created by an import";
    ErrImportEmpty => "Plik jest pusty.", "The file is empty.";
    ErrImportBinary => "To nie jest plik tekstowy (CSV, TXT) ani XLSX.", "This is not a text file (CSV, TXT) nor XLSX.";
    ErrImportTooLarge => "Plik jest za duży (CSV/TXT najwyżej 512 MB, XLSX najwyżej 50 MB).", "The file is too large (CSV/TXT at most 512 MB, XLSX at most 50 MB).";
    ErrImportNotXlsx => "Nie udało się odczytać pliku XLSX (uszkodzony lub bez arkusza).", "The XLSX file could not be read (damaged or without a sheet).";
    ErrImportXlsxTooLarge => "Arkusz XLSX rozpakowuje się do niebezpiecznie dużego rozmiaru; zapisz go jako CSV.", "The XLSX sheet inflates to a dangerous size; save it as CSV.";
    ErrImportNoFile => "Wybierz plik.", "Choose a file.";
    ErrImportDelimiter => "Podaj jeden znak (tabulator jako \\t).", "Enter one character (tab as \\t).";
    ErrImportCountry => "Podaj kierunkowy kraju: 1–3 cyfry, np. 48.", "Enter a country code: 1–3 digits, e.g. 48.";
    ErrImportNothingMapped => "Przypisz kolumnę do nazwiska, imienia i nazwiska, firmy, telefonu lub e-maila.", "Map a column to the last name, full name, company, phone or e-mail.";
    ErrImportMappedTwice => "To samo pole przypisano kilku kolumnom (wielokrotnie można tylko telefon i e-mail).", "The same field is mapped to several columns (only phone and e-mail may repeat).";
    ErrImportStarted => "Ten import został już uruchomiony.", "This import has already been started.";
    ErrJobNotFailed => "Ponowić można tylko nieudane zadanie.", "Only a failed job can be retried.";
    ErrJobNotRetryable => "Tego zadania nie ponawia się tutaj: nieudany import lub eksport rozpocznij od nowa na jego stronie.", "This job is not retried here: start a failed import or export again from its page.";
    ErrJobTimedOut => "Zadanie trwało zbyt długo i zostało przerwane.", "The job took too long and was stopped.";
    ErrJobAbandoned => "Zadanie przerywało pracę serwera przy każdej próbie i zostało zaniechane.", "The job stopped its server at every attempt and was given up.";
    ErrImportNotFinished => "Import jeszcze trwa.", "The import is still running.";
    ErrImportRowTooLong => "Wiersz jest za długi (ponad 64 KB) – np. niezamknięty cudzysłów.", "The row is too long (over 64 KB), e.g. an unclosed quote.";
    ErrImportBadCharacters => "Znaki nieczytelne w wybranej stronie kodowej.", "Characters unreadable in the chosen code page.";
    ErrImportRaggedRow => "Wiersz ma więcej kolumn niż nagłówek.", "The row has more columns than the header.";
    ErrImportPhoneDropped => "Niepoprawny numer telefonu pominięto.", "An invalid phone number was dropped.";
    ErrImportPhoneFlagged => "Niepoprawny numer telefonu zachowano z oznaczeniem.", "An invalid phone number was kept, flagged.";
    ErrImportErasedBefore => "Dane tej osoby usunięto wcześniej (prawo do bycia zapomnianym).", "This person's data was erased before (right to be forgotten).";
    ErrImportErasurePending => "Ta osoba czeka na usunięcie danych.", "This person's data is due for erasure.";
    ErrImportFailed => "Importu nie dało się dokończyć; spróbuj ponownie.", "The import could not be completed; try again.";
    ErrImportSourceInactive => "Wybierz aktywne źródło danych.", "Pick an active data source.";
    // Exports ("Eksportuj")
    ExportTitle => "Eksport kontaktów do pliku", "Export contacts to a file";
    ExportButton => "Eksportuj", "Export";
    ExportMatching => "Kontakty spełniające warunki", "Contacts matching the conditions";
    ExportHeldBack => "W tym z ograniczonym przetwarzaniem lub czekające na usunięcie (pominięte bez wyjątku)", "Of which restricted or due for erasure (left out without an override)";
    ExportFilterLabel => "Warunki wyszukiwania", "Search conditions";
    ExportNoFilter => "bez warunków (wszystkie kontakty)", "no conditions (every contact)";
    ExportBackToSearch => "Wróć do wyników wyszukiwania", "Back to the search results";
    ExportColumns => "Kolumny", "Columns";
    ExportConsentColumns => "Zgody (aktualna decyzja)", "Consents (current decision)";
    ExportColId => "Identyfikator", "Id";
    ExportColState => "Stan danych", "Data state";
    ExportFormatLabel => "Format pliku", "File format";
    ExportFormatCsv => "CSV", "CSV";
    ExportFormatXlsx => "XLSX (Excel)", "XLSX (Excel)";
    ExportEncodingLabel => "Kodowanie CSV", "CSV encoding";
    ExportEncodingUtf8 => "UTF-8 z BOM (Excel)", "UTF-8 with BOM (Excel)";
    ExportEncodingCp1250 => "Windows-1250", "Windows-1250";
    ExportDelimiterLabel => "Separator CSV", "CSV delimiter";
    ExportDelimSemicolon => "średnik (;)", "semicolon (;)";
    ExportDelimComma => "przecinek (,)", "comma (,)";
    ExportDelimTab => "tabulator", "tab";
    ExportPurpose => "Cel eksportu", "Purpose of the export";
    ExportPurposeHint => "Eksport jest udostępnieniem danych wewnątrz organizacji: zapisujemy kto, kiedy, w jakim celu, z jakimi warunkami, kolumnami i listą kontaktów.", "An export is a disclosure inside the organisation: who, when, why, with which conditions, columns and list of contacts is recorded.";
    ExportOverride => "Uwzględnij kontakty z ograniczonym przetwarzaniem lub czekające na usunięcie", "Include contacts under restriction or due for erasure";
    ExportOverrideReason => "Uzasadnienie wyjątku", "Reason for the override";
    ExportBackgroundNote => "Większe eksporty są przygotowywane w tle; plik czeka zaszyfrowany 24 godziny, potem jest usuwany.", "Larger exports are prepared in the background; the file waits encrypted for 24 hours, then it is removed.";
    ExportJobTitle => "Eksport w tle", "Background export";
    ExportJobProgress => "Postęp", "Progress";
    ExportJobRows => "Wiersze", "Rows";
    ExportJobExpires => "Plik dostępny do", "File available until";
    ExportDownload => "Pobierz plik", "Download the file";
    ExportJobPurged => "Plik usunięto po 24 godzinach.", "The file was removed after 24 hours.";
    ExportStatusStreamed => "pobrany od razu", "downloaded at once";
    ExportStatusQueued => "w kolejce", "queued";
    ExportStatusRunning => "w toku", "running";
    ExportStatusDone => "gotowy", "ready";
    ExportStatusFailed => "przerwany", "failed";
    ErrExportPurpose => "Podaj cel eksportu.", "State the purpose of the export.";
    ErrExportColumns => "Wybierz co najmniej jedną kolumnę.", "Pick at least one column.";
    ErrExportReason => "Podaj uzasadnienie wyjątku.", "State the reason for the override.";
    ErrExportNothing => "Żaden kontakt nie spełnia warunków eksportu.", "No contact meets the export's conditions.";
    ErrExportXlsxTooMany => "Arkusz XLSX mieści najwyżej 1 048 575 wierszy; wybierz CSV.", "An XLSX sheet holds at most 1,048,575 rows; choose CSV.";
    WebhooksTitle => "Webhooki", "Webhooks";
    WebhooksIntro => "Zgoda powiadamia wskazany adres (np. dialer), gdy ktoś wycofa zgodę lub wniesie sprzeciw wobec marketingu, gdy przetwarzanie danych zostanie ograniczone lub ograniczenie zniesione, albo gdy usunięcie danych zostanie zatwierdzone. Każde powiadomienie jest podpisane (HMAC-SHA-256) i ponawiane przez dobę, jeśli odbiorca nie odpowie.", "Zgoda notifies an address (e.g. a dialer) when someone withdraws a consent or objects to marketing, when processing is restricted or the restriction lifted, or when an erasure is approved. Each notification is signed (HMAC-SHA-256) and retried for a day if the receiver does not answer.";
    WebhookAdd => "Nowy webhook", "New webhook";
    WebhookName => "Nazwa", "Name";
    WebhookUrl => "Adres odbiorcy", "Receiver address";
    WebhookEvents => "Zdarzenia", "Events";
    WebhookCreate => "Dodaj webhook", "Add webhook";
    WebhooksNone => "Nie ma jeszcze webhooków.", "No webhooks yet.";
    WebhookCounts => "Doręczone / czekające / nieudane", "Delivered / waiting / failed";
    WebhookActive => "Włączony", "On";
    WebhookInactive => "Wyłączony", "Off";
    WebhookEnable => "Włącz", "Switch on";
    WebhookDisable => "Wyłącz", "Switch off";
    WebhookIssued => "Sekret do sprawdzania podpisu (widoczny tylko teraz) dla", "The signing secret (shown only now) for";
    WebhookLog => "Dziennik doręczeń", "Delivery log";
    WebhookLogEmpty => "Nie było jeszcze żadnych doręczeń.", "No deliveries yet.";
    WebhookLogWhen => "Zdarzenie z", "Event at";
    WebhookLogEvent => "Zdarzenie", "Event";
    WebhookLogAttempts => "Próby", "Attempts";
    WebhookLogAnswer => "Ostatnia odpowiedź", "Last answer";
    WebhookConsentWithdrawn => "Wycofanie zgody", "Consent withdrawn";
    WebhookMarketingObjection => "Sprzeciw wobec marketingu", "Objection to marketing";
    WebhookErasureApproved => "Zatwierdzone usunięcie danych", "Erasure approved";
    WebhookProcessingRestricted => "Ograniczenie przetwarzania", "Processing restricted";
    WebhookRestrictionLifted => "Zniesienie ograniczenia", "Restriction lifted";
    DeliveryPending => "Czeka", "Waiting";
    DeliveryDelivered => "Doręczone", "Delivered";
    DeliveryFailed => "Nieudane", "Failed";
    WebhookErrTimeout => "brak odpowiedzi w 10 s", "no answer within 10 s";
    WebhookErrConnect => "nie można połączyć się z odbiorcą", "could not connect to the receiver";
    WebhookErrRequest => "błąd wysyłki", "sending failed";
    WebhookErrSwitchedOff => "webhook wyłączony", "webhook switched off";
    ErrWebhookUrl => "Podaj pełny adres http:// albo https:// (bez spacji i bez loginu w adresie).", "Give a full http:// or https:// address (no spaces, no credentials in it).";
    ErrWebhookEvents => "Zaznacz co najmniej jedno zdarzenie.", "Tick at least one event.";
    WithdrawalTitle => "Wycofanie zgody", "Withdrawing a consent";
    WithdrawalConsent => "Zgoda", "Consent";
    WithdrawalStatement => "Treść zgody", "Statement";
    WithdrawalButton => "Wycofuję zgodę", "I withdraw my consent";
    WithdrawalDone => "Ta zgoda jest wycofana: nie będziemy już z niej korzystać.", "This consent is withdrawn: it will no longer be used.";
    WithdrawalLinkInvalid => "Ten link jest nieprawidłowy albo niepełny. Skopiuj cały link z wiadomości.", "This link is invalid or incomplete. Copy the whole link from the message.";
    WithdrawalNote => "Wycofanie zgody nie wpływa na zgodność z prawem działań podjętych przed jej wycofaniem.", "Withdrawing consent does not affect the lawfulness of processing before the withdrawal.";
    ErrFormUrl => "Adres formularza musi być pełnym adresem http:// lub https://.", "The form's address must be a full http:// or https:// address.";
    ErrClientIp => "Adres IP osoby jest nieprawidłowy.", "The person's IP address is invalid.";
    ErrStatementVersion => "Ta zgoda nie ma takiej wersji treści.", "This consent has no such statement version.";
    ErrSubmittedAt => "Czas wysłania formularza jest w przyszłości albo sprzed ponad 30 dni.", "The form's submission time is in the future or more than 30 days ago.";
    ErrBadRequest => "Nieprawidłowe dane żądania.", "Invalid request data.";
    ErrRequired => "To pole jest wymagane.", "This field is required.";
    ErrTooLong => "Wartość jest za długa.", "The value is too long.";
    ErrPhoneInvalid => "Nieprawidłowy numer telefonu.", "Invalid phone number.";
    ErrEmailInvalid => "Nieprawidłowy adres e-mail.", "Invalid e-mail address.";
    ErrPeselInvalid => "Nieprawidłowy numer PESEL.", "Invalid PESEL number.";
    ErrNipInvalid => "Nieprawidłowy numer NIP.", "Invalid NIP number.";
    ErrInvalidCharacters => "Wartość zawiera niedozwolone znaki sterujące.", "The value contains forbidden control characters.";
    ErrNotANumber => "Podaj liczbę całkowitą.", "Enter a whole number.";
    ErrRateLimited => "Za dużo zapytań tego tokenu. Spróbuj ponownie za", "Too many requests with this token. Try again in";
    ErrTooManyAttempts => "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za", "Too many failed sign-in attempts. Try again in";
    ErrLoginLength => "Login musi mieć od 3 do 64 znaków.", "The login must have 3 to 64 characters.";
    ErrLoginChars => "Login może zawierać tylko litery a–z, cyfry oraz . _ - @", "The login may contain only letters a–z, digits and . _ - @";
    ErrLoginTaken => "Ten login jest już zajęty.", "This login is already taken.";
    ErrLastAdministrator => "Nie można odebrać uprawnień ostatniemu aktywnemu administratorowi.", "The last active administrator cannot lose that role.";
    ErrCurrentPasswordWrong => "Stare hasło jest nieprawidłowe.", "The old password is wrong.";
    ErrPasswordsDiffer => "Powtórzone hasło różni się od nowego.", "The repeated password differs from the new one.";
    ErrPasswordTooShort => "Hasło jest za krótkie.", "The password is too short.";
    ErrPasswordTooLong => "Hasło może mieć najwyżej 1024 znaki.", "The password may have at most 1024 characters.";
    ErrPasswordNeedsLower => "Hasło musi zawierać małą literę.", "The password needs a lower-case letter.";
    ErrPasswordNeedsUpper => "Hasło musi zawierać wielką literę.", "The password needs an upper-case letter.";
    ErrPasswordNeedsDigitOrSpecial => "Hasło musi zawierać cyfrę lub znak specjalny.", "The password needs a digit or a special character.";
    ErrPasswordCommon => "To hasło jest zbyt popularne.", "This password is too common.";
    ErrPasswordReused => "Nowe hasło nie może być równe obecnemu ani 5 poprzednim.", "The new password may not equal the current or the last 5 passwords.";
    ErrPolicyMinLength => "Minimalna długość musi wynosić od 8 do 128 znaków.", "The minimum length must be 8 to 128 characters.";
    ErrPolicyMaxAge => "Okres ważności może wynosić najwyżej 365 dni.", "The validity period may be at most 365 days.";
    NavReports => "Raporty", "Reports";
    AccessKindAccess => "kopia danych (art. 15)", "a copy of the data (Art. 15)";
    AccessKindPortability => "przeniesienie danych (art. 20)", "data portability (Art. 20)";
    AccessRequestsTitle => "Żądania dostępu do danych", "Requests for access to data";
    AccessRequestDeadline => "termin", "due";
    AccessRequestDelivered => "wydano", "delivered";
    AccessRequestOpen => "oczekuje", "open";
    AccessRequestOverdue => "po terminie", "overdue";
    AccessRequestRecordAccess => "Zarejestruj żądanie kopii danych (art. 15)", "Record a request for a copy (Art. 15)";
    AccessRequestRecordPortability => "Zarejestruj żądanie przeniesienia danych (art. 20)", "Record a portability request (Art. 20)";
    AccessRequestHint => "Odpowiedź należy się w ciągu miesiąca (art. 12 ust. 3). „Eksport danych osoby” z menu „⋮” wydaje kopię i zamyka otwarte żądania.", "The answer is due within a month (Art. 12(3)). “Eksport danych osoby” in the “⋮” menu hands out the copy and closes open requests.";
    CountersAccessWaiting => "żądania kopii danych czekają na wydanie", "requests for a copy await delivery";
    CountersAccessOverdue => "z nich po terminie", "of them overdue";
    NavRegister => "Rejestr czynności przetwarzania", "Register of processing activities";
    RegisterTitle => "Rejestr czynności przetwarzania", "Register of processing activities";
    RegisterIntro => "Rejestr (art. 30 RODO) powstaje z definicji zgód, obsługi spraw, odbiorców, umów powierzenia i okresów przechowywania. Uzupełnij to, czego Zgoda nie wie, i zapisz wersję z datą.", "The register (Art. 30 GDPR) is built from consent definitions, case handling, recipients, processor agreements and retention periods. Complete what Zgoda cannot know and save a dated version.";
    RegisterGeneratedAt => "Stan na", "As of";
    RegisterSaveVersion => "Zapisz wersję rejestru", "Save a version of the register";
    RegisterVersionSaved => "Zapisano wersję {n} rejestru.", "Version {n} of the register saved.";
    RegisterVersionShown => "Wersja", "Version";
    RegisterBackToCurrent => "pokaż stan bieżący", "show the current register";
    RegisterVersions => "Zapisane wersje", "Saved versions";
    RegisterEdit => "Uzupełnij", "Complete";
    RegisterController => "Administrator danych (nazwa i dane kontaktowe)", "Controller (name and contact details)";
    RegisterDpo => "Inspektor ochrony danych (dane kontaktowe)", "Data protection officer (contact details)";
    RegisterSecurity => "Środki bezpieczeństwa (art. 32)", "Security measures (Art. 32)";
    RegisterActivities => "Czynności przetwarzania", "Processing activities";
    RegisterActivity => "Czynność i cel", "Activity and purpose";
    RegisterDataCategories => "Kategorie danych", "Categories of data";
    RegisterPeopleCategories => "Kategorie osób", "Categories of people";
    RegisterRetention => "Okres przechowywania", "Retention period";
    RegisterNoRetention => "nie określono (Okresy przechowywania)", "not set (Retention periods)";
    RegisterOtherRetention => "Pozostałe okresy przechowywania", "Other retention periods";
    RegisterSuggested => "propozycja — uzupełnij", "suggested — complete it";
    RegisterInactive => "nieaktywna", "inactive";
    RegisterRecipientInactive => "nieaktywny (już nie otrzymuje danych)", "inactive (no longer receives data)";
    RegisterRecipients => "Odbiorcy i przekazania poza EOG", "Recipients and transfers outside the EEA";
    RegisterAgreement => "Umowa powierzenia (podpisana)", "Processor agreement (signed)";
    RegisterTransfer => "Przekazanie poza EOG", "Transfer outside the EEA";
    RegisterNoTransfer => "nie", "no";
    RegisterDataEmail => "imię i nazwisko, adres e-mail", "name, e-mail address";
    RegisterDataPhone => "imię i nazwisko, numer telefonu", "name, phone number";
    RegisterDataContact => "imię i nazwisko, dane kontaktowe (telefon, e-mail, adres)", "name, contact details (phone, e-mail, address)";
    RegisterDataCases => "imię i nazwisko, dane kontaktowe, treść zgłoszeń i korespondencji", "name, contact details, the content of requests and correspondence";
    RegisterPeopleSuggested => "klienci i osoby kontaktujące się z centrum kontaktu", "customers and people who contact the contact center";
    RegisterCasesName => "Obsługa zgłoszeń i reklamacji", "Handling requests and complaints";
    RegisterCasesPurpose => "obsługa spraw, zamówień, reklamacji i korespondencji klientów", "handling customers' cases, orders, complaints and correspondence";
    RecipientTransferLabel => "Przekazanie poza EOG (państwo i zabezpieczenie)", "Transfer outside the EEA (country and safeguard)";
    RecipientTransferHint => "puste: dane nie opuszczają EOG", "empty: the data stays in the EEA";
    CountersTitle => "Do zrobienia", "To do";
    CountersErasureWaiting => "żądania usunięcia danych czekają na decyzję", "erasure requests await a decision";
    CountersErasureDueSoon => "z nich z terminem w ciągu 7 dni", "of them due within 7 days";
    CountersErasureOverdue => "z nich po terminie", "of them overdue";
    CountersExportsRunning => "eksporty w przygotowaniu", "exports being prepared";
    CountersImportsRejected => "importy z odrzuconymi wierszami do przejrzenia", "imports with rejected rows to review";
    ReportsTitle => "Raporty", "Reports";
    ReportsIntro => "Raport o danych osobowych i ich przetwarzaniu: wybierz zbiór, filtry i grupowanie. Raporty pokazują numery, daty i kategorie, nigdy treści danych osobowych (te eksportuje się z widoku Szukaj).", "A report on personal data and its processing: pick the dataset, filters and grouping. Reports show numbers, dates and categories, never personal values (those are exported from Search).";
    ReportDataset => "Zbiór danych", "Dataset";
    ReportGrouping => "Grupowanie", "Grouping";
    ReportColumns => "Kolumny", "Columns";
    ReportDatasetHint => "Filtry zależą od zbioru danych: po zmianie zbioru kliknij „Pokaż raport”, a formularz pokaże filtry tego zbioru.", "Filters depend on the dataset: after changing it, click “Show report” and the form shows that dataset's filters.";
    ReportShow => "Pokaż raport", "Show report";
    ReportReadyTitle => "Gotowe raporty", "Ready-made reports";
    ReportSavedTitle => "Zapisane raporty", "Saved reports";
    ReportSaveName => "Nazwa raportu", "Report name";
    ReportSave => "Zapisz raport", "Save report";
    ReportNameTaken => "Raport o tej nazwie już istnieje.", "A report with this name already exists.";
    ReportPrint => "Drukuj", "Print";
    ReportFileCsv => "Pobierz CSV", "Download CSV";
    ReportFileCut => "Plik zawiera {shown} najnowszych z {total} rekordów; zawęź okres, aby otrzymać pozostałe.", "The file holds the {shown} newest of {total} records; narrow the period for the rest.";
    ReportMeasureDisclosedRecords => "Osoby w udostępnieniach (z powtórzeniami)", "People in disclosures (with repeats)";
    ReportFileXlsx => "Pobierz XLSX", "Download XLSX";
    ReportEmpty => "Brak rekordów spełniających warunki.", "No records match.";
    ReportLinesCut => "Pokazano {shown} najnowszych rekordów (najwyżej {limit}).", "Showing the {shown} newest records (at most {limit}).";
    ReportTotal => "Rekordów:", "Records:";
    ReportPeriod => "Okres", "Period";
    ReportUnusual => "nietypowo dużo", "unusually many";
    ReportChartTitle => "Wykres raportu", "Report chart";
    ReportDatasetContacts => "Kontakty i ich źródła", "Contacts and their sources";
    ReportDatasetConsents => "Decyzje o zgodach", "Consent decisions";
    ReportDatasetChanges => "Zmiany danych", "Data changes";
    ReportDatasetDisclosures => "Udostępnienia i eksporty", "Disclosures and exports";
    ReportDatasetReads => "Odczyty kart kontaktów", "Contact card reads";
    ReportDatasetErasure => "Żądania usunięcia danych", "Erasure requests";
    ReportDatasetImports => "Importy", "Imports";
    ReportDatasetCommunications => "Komunikacja i zablokowane próby", "Communications and blocked attempts";
    ReportGroupNone => "bez grupowania (lista)", "no grouping (list)";
    ReportGroupDay => "dzień", "day";
    ReportGroupWeek => "tydzień", "week";
    ReportGroupMonth => "miesiąc", "month";
    ReportGroupSource => "Źródło danych", "Data source";
    ReportGroupConsent => "Zgoda", "Consent";
    ReportGroupRecipient => "Odbiorca", "Recipient";
    ReportGroupUser => "Użytkownik", "User";
    ReportColId => "Nr", "No.";
    ReportColAt => "Czas", "Time";
    ReportColContact => "Kontakt", "Contact";
    ReportColSource => "Źródło danych", "Data source";
    ReportColState => "Stan", "State";
    ReportColConsent => "Zgoda", "Consent";
    ReportColDecision => "Decyzja", "Decision";
    ReportColMethod => "Sposób", "Method";
    ReportColUser => "Użytkownik", "User";
    ReportColField => "Pole", "Field";
    ReportColRecipient => "Odbiorca", "Recipient";
    ReportColFields => "Zakres danych", "Data scope";
    ReportColLegalBasis => "Podstawa prawna", "Legal basis";
    ReportColPurpose => "Cel", "Purpose";
    ReportColContactCount => "Liczba osób", "People";
    ReportColVia => "Miejsce odczytu", "Read in";
    ReportColGround => "Podstawa żądania", "Ground";
    ReportColDeadline => "Termin", "Deadline";
    ReportColDecided => "Rozpatrzono", "Decided";
    ReportColLate => "Po terminie", "Late";
    ReportColName => "Nazwa", "Name";
    ReportColFile => "Plik", "File";
    ReportColRows => "Wiersze", "Rows";
    ReportColAdded => "Dodane", "Added";
    ReportColRejected => "Odrzucone", "Rejected";
    ReportColSuppressed => "Pominięte (usunięte wcześniej)", "Suppressed (erased before)";
    ReportColChannel => "Kanał", "Channel";
    ReportColOutcome => "Wynik", "Outcome";
    ReportColReason => "Powód blokady", "Block reason";
    ReportMeasureChanges => "Zmiany", "Changes";
    ReportMeasureDisclosures => "Udostępnienia", "Disclosures";
    ReportMeasureContacts => "Osoby", "People";
    ReportMeasureReads => "Odczyty", "Reads";
    ReportMeasureRequests => "Żądania", "Requests";
    ReportMeasureLate => "Po terminie", "Late";
    ReportMeasureImports => "Importy", "Imports";
    ReportMeasureRows => "Wiersze", "Rows";
    ReportOutcomeDone => "wykonano", "done";
    ReportOutcomeBlocked => "zablokowano", "blocked";
    ReportTimeCreated => "Utworzono", "Created";
    ReportTimeRequested => "Zgłoszono", "Requested";
    ReportReadyConsents => "Zgody udzielone i wycofane w miesiącach (kanał wybierzesz filtrem)", "Consents granted and withdrawn per month (pick the channel in the filter)";
    ReportReadyErasure => "Żądania usunięcia danych, terminy (art. 12 ust. 3) i spóźnione", "Erasure requests, deadlines (Art. 12(3)) and late ones";
    ReportReadyDisclosures => "Udostępnienia według odbiorców", "Disclosures per recipient";
    ReportReadyReads => "Odczyty kart według użytkowników", "Card reads per user";
    ReportReadyImports => "Importy według źródeł: odrzucone i pominięte wiersze", "Imports per source: rejected and suppressed rows";
    ReportNoSource => "bez źródła", "no source";
    ReportNoUser => "system", "system";
    ReportYes => "tak", "yes";
    ReportNo => "nie", "no";
    ReportViaCard => "karta kontaktu", "contact card";
    ReportViaCase => "sprawa", "case";
    ReportViaHistory => "historia zmian", "change history";
    ReportViaEvidence => "dowód zgody", "consent evidence";
    ReportViaSearch => "Szukaj", "Search";
    ReportViaDesk => "Pulpit konsultanta", "Consultant's desk";
    ReportViaExport => "eksport", "export";
    ReportViaSubjectExport => "kopia danych osoby", "copy of the person's data";
}

impl Msg {
    /// The stable name sent over the wire, e.g. `ErrRequired`.
    pub fn key(self) -> &'static str {
        Self::KEYS[self as usize]
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::KEYS
            .iter()
            .position(|k| *k == key)
            .map(|i| Self::ALL[i])
    }
}

// Written by hand: serde's derive for a hundred variants costs the browser bundle ~20 KB.
impl Serialize for Msg {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Msg {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Msg::from_key(&key).ok_or_else(|| serde::de::Error::custom("unknown message key"))
    }
}

// The integrator API's document names every message key an error may carry.
impl schemars::JsonSchema for Msg {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Msg".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A message key; Zgoda's pages show it in Polish or English.",
            "enum": Self::KEYS,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for msg in Msg::ALL {
            assert!(!msg.text(Lang::Pl).is_empty(), "{msg:?}");
            assert!(!msg.text(Lang::En).is_empty(), "{msg:?}");
        }
    }

    #[test]
    fn keys_round_trip_through_json() {
        for msg in Msg::ALL {
            let json = serde_json::to_string(msg).unwrap();
            assert_eq!(json, format!("\"{}\"", msg.key()));
            assert_eq!(serde_json::from_str::<Msg>(&json).unwrap(), *msg);
        }
        assert!(serde_json::from_str::<Msg>("\"NoSuchKey\"").is_err());
    }

    #[test]
    fn spec_labels_are_exact() {
        assert_eq!(Msg::PasswordChangeTitle.text(Lang::Pl), "Zmiana hasła");
        assert_eq!(Msg::ChangePasswordButton.text(Lang::Pl), "Zmień hasło");
        assert_eq!(Msg::PartManager.text(Lang::Pl), "Część menedżerska");
    }
}
