//! Small macros shared by feature folders.

/// A closed set of plain values stored as text: `as_str`/`parse` for the database and
/// the wire, `label` for the UI (when each variant names its message), `ALL` for
/// pickers. The first variant is the default.
macro_rules! plain_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal => $label:ident),* $(,)? }) => {
        plain_enum!(@type $(#[$doc])* $name { $($(#[$vdoc])* $variant = $text),* });

        impl $name {
            pub fn label(self) -> Msg {
                match self { $($name::$variant => Msg::$label),* }
            }
        }
    };
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        plain_enum!(@type $(#[$doc])* $name { $($(#[$vdoc])* $variant = $text),* });
    };
    (@type $(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            #[default]
            $($(#[$vdoc])* $variant),*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}
