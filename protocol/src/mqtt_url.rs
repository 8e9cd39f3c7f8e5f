//! `mqtt://host:port` and `mqtts://host:port` broker addresses, parsed once so config validation,
//! the kiosk, the fleet tool and `kiosk doctor` agree on what they mean.

/// Where a broker listens and whether to speak TLS to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerUrl {
    pub tls: bool,
    pub host: String,
    pub port: u16,
}

impl BrokerUrl {
    /// Parses `mqtt://host[:port]` (default port 1883) or `mqtts://host[:port]` (8883). IPv6 hosts
    /// go in brackets: `mqtt://[::1]:1883`.
    pub fn parse(url: &str) -> Result<Self, String> {
        let (tls, rest) = if let Some(rest) = url.strip_prefix("mqtts://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("mqtt://") {
            (false, rest)
        } else {
            return Err(format!("{url:?} must start with mqtt:// or mqtts://"));
        };
        let rest = rest.trim_end_matches('/');
        let default_port = if tls { 8883 } else { 1883 };
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(|| format!("{url:?}: missing ']' after an IPv6 host"))?;
            (host, after.strip_prefix(':'))
        } else {
            match rest.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (rest, None),
            }
        };
        if host.is_empty() || host.contains(['/', '@', ' ']) {
            return Err(format!("{url:?}: expected a host name or address after the scheme"));
        }
        let port = match port {
            Some(port) => {
                port.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| format!("{url:?}: bad port {port:?}"))?
            }
            None => default_port,
        };
        Ok(Self { tls, host: host.to_string(), port })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_schemes_hosts_and_ports() {
        let url = |tls, host: &str, port| Ok(BrokerUrl { tls, host: host.into(), port });
        assert_eq!(BrokerUrl::parse("mqtt://broker.store-12.lan"), url(false, "broker.store-12.lan", 1883));
        assert_eq!(BrokerUrl::parse("mqtts://mqtt.chain.example:8884/"), url(true, "mqtt.chain.example", 8884));
        assert_eq!(BrokerUrl::parse("mqtt://[::1]:1999"), url(false, "::1", 1999));
        assert_eq!(BrokerUrl::parse("mqtts://[::1]"), url(true, "::1", 8883));
        for bad in ["tcp://x:1", "mqtt://", "mqtt://x:0", "mqtt://x:http", "mqtt://user@x", "mqtt://[::1"] {
            assert!(BrokerUrl::parse(bad).is_err(), "{bad} parsed");
        }
    }
}
