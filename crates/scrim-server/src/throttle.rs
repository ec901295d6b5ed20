//! Sign-in throttling: failed password checks per user name and per client address within a
//! window, in bounded memory.
//!
//! Names are kept as their SHA-256 (never as typed: a mistyped password in the name field must
//! not stay in memory, and a megabyte "name" must not cost a megabyte), expired entries are
//! dropped, and each map holds at most `capacity` keys: when full, expired entries go first,
//! then the key whose newest attempt is oldest among those not locked (a locked key is evicted
//! only when every key is locked). An attempt is reserved before the password is checked, so
//! concurrent guesses cannot all pass the check before the first failure is counted.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// Why an attempt was refused before its password was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The name had too many failures in the window.
    NameLocked,
    /// The client had too many failures in the window (whatever names it tried).
    ClientLimited,
}

/// An attempt counted against its name (and client) until it is known to have succeeded.
#[derive(Debug)]
pub struct Reservation {
    name: [u8; 32],
    client: Option<IpAddr>,
    at: Instant,
}

#[derive(Debug, Default)]
struct Attempts {
    times: VecDeque<Instant>,
    alerted: Option<Instant>,
}

#[derive(Debug)]
struct Window<K> {
    map: HashMap<K, Attempts>,
    limit: usize,
}

impl<K: Eq + Hash + Clone> Window<K> {
    fn prune(&mut self, now: Instant, window: Duration) {
        self.map.retain(|_, a| {
            while a
                .times
                .front()
                .is_some_and(|t| now.duration_since(*t) > window)
            {
                a.times.pop_front();
            }
            !a.times.is_empty()
        });
    }

    fn count(&mut self, key: &K, now: Instant, window: Duration) -> usize {
        let Some(a) = self.map.get_mut(key) else {
            return 0;
        };
        while a
            .times
            .front()
            .is_some_and(|t| now.duration_since(*t) > window)
        {
            a.times.pop_front();
        }
        a.times.len()
    }

    /// Room for `key`: prune when full, then evict the stalest unlocked key.
    fn make_room(&mut self, key: &K, now: Instant, window: Duration, capacity: usize) {
        if self.map.contains_key(key) || self.map.len() < capacity {
            return;
        }
        self.prune(now, window);
        while self.map.len() >= capacity.max(1) {
            let limit = self.limit;
            let newest = |a: &Attempts| a.times.back().copied().unwrap_or(now);
            let victim = self
                .map
                .iter()
                .filter(|(_, a)| a.times.len() < limit)
                .min_by_key(|(_, a)| newest(a))
                .or_else(|| self.map.iter().min_by_key(|(_, a)| newest(a)))
                .map(|(k, _)| k.clone());
            match victim {
                Some(k) => {
                    self.map.remove(&k);
                }
                None => break,
            }
        }
    }

    fn push(&mut self, key: K, at: Instant) {
        self.map.entry(key).or_default().times.push_back(at);
    }

    fn release(&mut self, key: &K, at: Instant) {
        if let Some(a) = self.map.get_mut(key) {
            if let Some(i) = a.times.iter().rposition(|t| *t == at) {
                a.times.remove(i);
            }
            if a.times.is_empty() {
                self.map.remove(key);
            }
        }
    }
}

/// Failed sign-ins per name and per client.
#[derive(Debug)]
pub struct SignIns {
    names: Window<[u8; 32]>,
    clients: Window<IpAddr>,
    window: Duration,
    capacity: usize,
}

fn name_key(name: &str) -> [u8; 32] {
    Sha256::digest(name.as_bytes()).into()
}

impl SignIns {
    /// At most `per_name` failures for one name and `per_client` for one client address in
    /// `window`; each map holds at most `capacity` keys.
    pub fn new(per_name: usize, per_client: usize, window: Duration, capacity: usize) -> SignIns {
        SignIns {
            names: Window {
                map: HashMap::new(),
                limit: per_name,
            },
            clients: Window {
                map: HashMap::new(),
                limit: per_client,
            },
            window,
            capacity: capacity.max(1),
        }
    }

    /// Count an attempt before its password is checked, or refuse it.
    pub fn reserve(
        &mut self,
        name: &str,
        client: Option<IpAddr>,
        now: Instant,
    ) -> Result<Reservation, Refusal> {
        let key = name_key(name);
        if self.names.count(&key, now, self.window) >= self.names.limit {
            return Err(Refusal::NameLocked);
        }
        if let Some(c) = &client {
            if self.clients.count(c, now, self.window) >= self.clients.limit {
                return Err(Refusal::ClientLimited);
            }
            self.clients.make_room(c, now, self.window, self.capacity);
            self.clients.push(*c, now);
        }
        self.names.make_room(&key, now, self.window, self.capacity);
        self.names.push(key, now);
        Ok(Reservation {
            name: key,
            client,
            at: now,
        })
    }

    /// The password matched (or could not be checked): the attempt does not count.
    pub fn release(&mut self, r: Reservation) {
        self.names.release(&r.name, r.at);
        if let Some(c) = &r.client {
            self.clients.release(c, r.at);
        }
    }

    /// The password did not match: the attempt stays counted. Whether the name just reached its
    /// limit and nobody was alerted for it within the window (raise one alert).
    pub fn failed(&mut self, r: Reservation, now: Instant) -> bool {
        let limit = self.names.limit;
        let window = self.window;
        let Some(a) = self.names.map.get_mut(&r.name) else {
            return false;
        };
        if a.times.len() < limit || a.alerted.is_some_and(|t| now.duration_since(t) <= window) {
            return false;
        }
        a.alerted = Some(now);
        true
    }

    /// How many names and clients are tracked.
    pub fn tracked(&self) -> (usize, usize) {
        (self.names.map.len(), self.clients.map.len())
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test or fuzz check fails by panicking"
    )]
    use super::*;

    const W: Duration = Duration::from_secs(900);

    #[test]
    fn reserves_before_checking_and_locks_at_the_limit() {
        let mut s = SignIns::new(3, 100, W, 100);
        let now = Instant::now();
        let rs: Vec<_> = (0..3)
            .map(|_| s.reserve("lena", None, now).unwrap())
            .collect();
        // Three in flight: a fourth is refused before any has failed.
        assert_eq!(
            s.reserve("lena", None, now).unwrap_err(),
            Refusal::NameLocked
        );
        let mut alerts = 0;
        for r in rs {
            alerts += usize::from(s.failed(r, now));
        }
        assert_eq!(alerts, 1);
        // The window passes: the name is free again.
        assert!(s
            .reserve("lena", None, now + W + Duration::from_secs(1))
            .is_ok());
    }

    #[test]
    fn a_success_does_not_count() {
        let mut s = SignIns::new(2, 100, W, 100);
        let now = Instant::now();
        for _ in 0..5 {
            let r = s.reserve("omar", None, now).unwrap();
            s.release(r);
        }
        assert_eq!(s.tracked(), (0, 0));
    }

    #[test]
    fn clients_are_limited_across_names() {
        let mut s = SignIns::new(5, 3, W, 100);
        let now = Instant::now();
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for i in 0..3 {
            let r = s.reserve(&format!("name{i}"), Some(ip), now).unwrap();
            s.failed(r, now);
        }
        assert_eq!(
            s.reserve("another", Some(ip), now).unwrap_err(),
            Refusal::ClientLimited
        );
        let other: IpAddr = "192.0.2.8".parse().unwrap();
        assert!(s.reserve("another", Some(other), now).is_ok());
    }

    #[test]
    fn memory_stays_bounded_and_locked_names_are_kept() {
        let mut s = SignIns::new(2, usize::MAX, W, 10);
        let now = Instant::now();
        for _ in 0..2 {
            let r = s.reserve("target", None, now).unwrap();
            s.failed(r, now);
        }
        for i in 0..1000 {
            let r = s.reserve(&"x".repeat(i + 1), None, now).unwrap();
            s.failed(r, now);
        }
        assert!(s.tracked().0 <= 10);
        // The locked name was not evicted by the flood of others.
        assert_eq!(
            s.reserve("target", None, now).unwrap_err(),
            Refusal::NameLocked
        );
    }
}
