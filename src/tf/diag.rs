//! Diagnostics: every failure reaches the user as one of these, inside an Ok
//! gRPC response.

use crate::proto::tfplugin6 as pb;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Diagnostic {
    pub severity: Severity,
    pub summary: String,
    pub detail: String,
    /// Attribute path, top-level name first.
    pub path: Vec<String>,
}

impl Diagnostic {
    pub(crate) fn error(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, summary: summary.into(), detail: detail.into(), path: vec![] }
    }
    pub(crate) fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, summary: summary.into(), detail: detail.into(), path: vec![] }
    }
    /// Attaches the attribute this diagnostic is about.
    pub(crate) fn at(mut self, attr: &str) -> Self {
        self.path = vec![attr.to_string()];
        self
    }
    pub(crate) fn at_path(mut self, path: Vec<String>) -> Self {
        self.path = path;
        self
    }
    pub(crate) fn to_proto(&self) -> pb::Diagnostic {
        pb::Diagnostic {
            severity: match self.severity {
                Severity::Error => pb::diagnostic::Severity::Error as i32,
                Severity::Warning => pb::diagnostic::Severity::Warning as i32,
            },
            summary: self.summary.clone(),
            detail: self.detail.clone(),
            attribute: if self.path.is_empty() { None } else { Some(attribute_path(&self.path)) },
        }
    }
}

/// Builds an attribute path: the first step is an attribute name; later numeric
/// steps are list indices, others map keys.
pub(crate) fn attribute_path(path: &[String]) -> pb::AttributePath {
    use pb::attribute_path::{Step, step::Selector};
    let steps = path
        .iter()
        .enumerate()
        .map(|(i, s)| Step {
            selector: Some(if i == 0 {
                Selector::AttributeName(s.clone())
            } else if let Ok(n) = s.parse::<i64>() {
                Selector::ElementKeyInt(n)
            } else {
                Selector::AttributeName(s.clone())
            }),
        })
        .collect();
    pb::AttributePath { steps }
}

/// A list of diagnostics with helpers.
#[derive(Debug, Default, Clone)]
pub(crate) struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub(crate) fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
    pub(crate) fn to_proto(&self) -> Vec<pb::Diagnostic> {
        self.0.iter().map(Diagnostic::to_proto).collect()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}
