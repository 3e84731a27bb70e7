//! svcprint-engine: service-level fingerprints of IoT devices (method.md M2-M12).
//! Pure functions of (records or aggregates, config); no I/O, no clock, no browser.
