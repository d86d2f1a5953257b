//! `tracing` events written to stderr as hclog JSON lines, which Terraform
//! shows under `TF_LOG` / `TF_LOG_PROVIDER` with their levels.
//!
//! The level comes from `TF_LOG_PROVIDER_EXOTEL`, `TF_LOG_PROVIDER` or
//! `TF_LOG` (first set wins); nothing is logged when none is set, since
//! Terraform would discard it anyway.

use std::fmt::Write as _;
use std::io::Write as _;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// hclog's timestamp layout: `2006-01-02T15:04:05.000000Z07:00`.
const TIMESTAMP: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

pub(crate) fn timestamp(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC).format(TIMESTAMP).unwrap_or_default()
}

/// Reads the wanted level from the environment.
pub(crate) fn level_from_env() -> Option<Level> {
    let v = ["TF_LOG_PROVIDER_EXOTEL", "TF_LOG_PROVIDER", "TF_LOG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))?;
    match v.to_ascii_uppercase().as_str() {
        "TRACE" | "JSON" => Some(Level::TRACE),
        "DEBUG" => Some(Level::DEBUG),
        "INFO" => Some(Level::INFO),
        "WARN" => Some(Level::WARN),
        "ERROR" => Some(Level::ERROR),
        "OFF" => None,
        _ => Some(Level::TRACE),
    }
}

/// Installs the hclog layer for the level in the environment (if any).
pub(crate) fn init() {
    if let Some(level) = level_from_env() {
        let layer = HclogLayer { max: level };
        let _ = tracing_subscriber::registry().with(layer).try_init();
    }
}

pub(crate) struct HclogLayer {
    max: Level,
}

struct JsonFields {
    message: String,
    fields: serde_json::Map<String, serde_json::Value>,
}

impl Visit for JsonFields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let mut s = String::new();
        let _ = write!(s, "{value:?}");
        if field.name() == "message" {
            self.message = s;
        } else {
            self.fields.insert(field.name().to_string(), serde_json::Value::String(s));
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_string();
        } else {
            self.fields.insert(field.name().to_string(), value.into());
        }
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.fields.insert(field.name().to_string(), value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.fields.insert(field.name().to_string(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.fields.insert(field.name().to_string(), value.into());
    }
}

impl HclogLayer {
    /// Our own events (the provider's and its API client's) at the wanted
    /// level; other crates' (hyper, h2, rustls) only from WARN up, so their
    /// wire-level traces never reach the log.
    fn wants(&self, metadata: &tracing::Metadata<'_>) -> bool {
        let target = metadata.target();
        let ours = target.starts_with("terraform_provider_exotel") || target.starts_with("exotel_vsip");
        let max = if ours { self.max } else { self.max.min(Level::WARN) };
        *metadata.level() <= max
    }
}

/// The fields of a span (`tf_rpc`, `tf_req_id`, `tf_resource_type`), kept
/// in its extensions and added to every event inside it.
struct SpanFields(serde_json::Map<String, serde_json::Value>);

impl<S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>> Layer<S> for HclogLayer {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        // Spans are always kept: they only carry context for events.
        metadata.is_span() || self.wants(metadata)
    }

    fn on_new_span(&self, attrs: &tracing::span::Attributes<'_>, id: &tracing::span::Id, ctx: Context<'_, S>) {
        let mut v = JsonFields { message: String::new(), fields: serde_json::Map::new() };
        attrs.record(&mut v);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanFields(v.fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if !self.wants(event.metadata()) {
            return;
        }
        let mut v = JsonFields { message: String::new(), fields: serde_json::Map::new() };
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(f) = span.extensions().get::<SpanFields>() {
                    v.fields.extend(f.0.clone());
                }
            }
        }
        event.record(&mut v);
        let line = render(*event.metadata().level(), &v.message, v.fields, time::OffsetDateTime::now_utc());
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(line.as_bytes());
    }
}

/// One hclog JSON line (with trailing newline).
pub(crate) fn render(
    level: Level,
    message: &str,
    mut fields: serde_json::Map<String, serde_json::Value>,
    at: time::OffsetDateTime,
) -> String {
    let lvl = match level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    };
    fields.insert("@level".into(), lvl.into());
    fields.insert("@message".into(), message.into());
    fields.insert("@timestamp".into(), timestamp(at).into());
    fields.insert("@module".into(), "exotel".into());
    let mut s = serde_json::Value::Object(fields).to_string();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_is_hclog_layout() {
        let t = time::macros::datetime!(2026-11-27 05:23:21.123456789 UTC);
        assert_eq!(timestamp(t), "2026-11-27T05:23:21.123456Z");
    }

    #[test]
    fn line_has_hclog_keys() {
        let t = time::macros::datetime!(2026-01-02 03:04:05 UTC);
        let line = render(Level::DEBUG, "hello", serde_json::Map::new(), t);
        let j: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(j["@level"], "debug");
        assert_eq!(j["@message"], "hello");
        assert_eq!(j["@timestamp"], "2026-01-02T03:04:05.000000Z");
    }
}
