//! Realistic, reproducible tether data directories for benchmarks and the `gen` example.
//!
//! Shared by `examples/gen.rs` and the criterion benches through `#[path = ...] mod datagen;`.
//! Everything derives from one seed (splitmix64, no extra crate), so the same arguments always
//! write the same bytes. About 0.1 % of the record lines are deliberately bad (truncated JSON,
//! unknown client, unreadable time, missing required field); every other line loads without a
//! diagnostic. One open follow-up, long overdue and therefore first on the follow-up board, has
//! the unique title [`MARKER`]: a measurement that sees it on screen knows the data was drawn.
#![allow(dead_code)] // each includer uses a different part

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// A follow-up title that appears nowhere else in generated data.
pub const MARKER: &str = "Kestrel-7 handover";
/// What `--edit-cmd` appends in the latency benchmarks (unique as well).
pub const EDIT_MARKER_PREFIX: &str = "Osprey-edit";

/// The default reference date: data spans years before it and months after it.
pub fn default_anchor() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date")
}

#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub clients: usize,
    pub deadlines: usize,
    pub followups: usize,
    pub interactions: usize,
    pub seed: u64,
    /// Data is laid out around this date (history before it, plans after it).
    pub anchor: NaiveDate,
    /// Bad lines per 100,000 record lines (100 = 0.1 %).
    pub bad_per_100k: u64,
}

impl Spec {
    /// Split a total record count the way a long-running freelancer's directory looks:
    /// 70 % contacts, 20 % follow-ups, 10 % deadlines; clients grow like √N (12 at 1k, 40 at 10k,
    /// ~126 at 100k, capped at 200).
    pub fn from_total(total: usize, seed: u64) -> Spec {
        let deadlines = total / 10;
        let followups = total / 5;
        let interactions = total - deadlines - followups;
        let clients = ((total as f64).sqrt() * 0.4).round() as usize;
        Spec {
            clients: clients.clamp(12, 200),
            deadlines,
            followups,
            interactions,
            seed,
            anchor: default_anchor(),
            bad_per_100k: 100,
        }
    }

    pub fn records(&self) -> usize {
        self.deadlines + self.followups + self.interactions
    }
}

/// What was written, so callers can check that loading reports exactly the bad lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// (file name, record lines, deliberately bad lines, bytes)
    pub files: Vec<(&'static str, usize, usize, u64)>,
    pub clients: usize,
}

impl Summary {
    pub fn bad_lines(&self) -> usize {
        self.files.iter().map(|f| f.2).sum()
    }
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.3).sum()
    }
}

/// splitmix64: tiny, fast, good enough for test data, and identical everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    /// True with probability p/1000.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// An independent stream (so one file's length does not shift another file's content).
    pub fn fork(&mut self, salt: u64) -> Rng {
        Rng::new(self.next_u64() ^ salt.wrapping_mul(0xD6E8_FEB8_6659_FD93))
    }
}

const COMPANY_A: &[&str] = &[
    "Kanda",
    "Sakura",
    "Brandt",
    "Nortec",
    "Aurora",
    "Bergmann",
    "Cielo",
    "Delft",
    "Edelweiss",
    "Fjord",
    "Ganesha",
    "Hikari",
    "Ibis",
    "Jacaranda",
    "Kiwi",
    "Lumière",
    "Mistral",
    "Nakamura",
    "Oslo",
    "Pampas",
    "Quetzal",
    "Rhein",
    "Saffron",
    "Tamarind",
    "Umami",
    "Vltava",
    "Wattle",
    "Xochi",
    "Yamato",
    "Zephyr",
    "Øresund",
    "Ünal",
    "Česká",
    "São Bento",
    "Mirae",
    "Kōyō",
];
const COMPANY_B: &[&str] = &[
    "Trading KK",
    "Research",
    "Maschinenbau GmbH",
    "Logística",
    "Systems",
    "Partners",
    "Consulting",
    "Media",
    "Translations",
    "Pharma AG",
    "Labs",
    "Holdings",
    "& Söhne",
    "Design Studio",
    "Analytics",
    "Foods",
    "Shipping",
    "Software Pvt Ltd",
    "SARL",
    "Ltda.",
];
const PEOPLE: &[&str] = &[
    "Sato-san",
    "Ms. Ito",
    "Priya Raman",
    "Herr Vogel",
    "Rafael Costa",
    "Zoë Martin",
    "Søren Holm",
    "Łukasz Nowak",
    "José Álvarez",
    "Ōtani-san",
    "Nguyễn Văn An",
    "Дмитрий Соколов",
    "佐藤 健",
    "김민준",
    "Aisha Bello",
    "Mette Frederiksen",
    "François Dubois",
    "Chloé Petit",
    "Ravi Kumar",
    "Emily Chen",
    "Tomás Ruiz",
    "Ingrid Berg",
    "Yusuf Demir",
    "Hana Kobayashi",
];
const ROLES: &[&str] = &[
    "Marketing GM",
    "Research Director",
    "Delivery Head",
    "IT-Leiter",
    "CTO",
    "Head of Ops",
    "Procurement",
    "Founder",
    "Product Owner",
    "Legal Counsel",
];
const VERBS: &[&str] = &[
    "Send",
    "Review",
    "Translate",
    "Draft",
    "Finalise",
    "Proofread",
    "Deliver",
    "Update",
    "Prepare",
    "Confirm",
    "Invoice",
    "Chase",
    "Localise",
    "Audit",
    "Migrate",
    "Deploy",
];
const OBJECTS: &[&str] = &[
    "quarterly report",
    "revised quote",
    "glossary",
    "brochure (JA→EN)",
    "website copy",
    "server migration plan",
    "market survey",
    "contract annex",
    "press release",
    "product manual",
    "SEO audit",
    "backup schedule",
    "onboarding deck",
    "pricing sheet",
    "Pflichtenheft",
    "apresentação",
    "見積書",
    "release notes",
    "security review",
    "style guide",
];
const QUALIFIERS: &[&str] = &[
    "",
    "",
    "",
    " for Q1",
    " v2",
    " (final)",
    " — urgent",
    " for the board",
    " for 東京 office",
    " for the Berlin team",
    " before launch",
    " with Müller's comments",
    " part 3",
];
const KINDS: &[(&str, u64)] = &[
    ("email", 400),
    ("message", 150),
    ("call", 200),
    ("video", 100),
    ("meeting", 80),
    ("visit", 40),
    ("delivery", 20),
    ("gift", 10),
];
const NOTE_BITS: &[&str] = &[
    "Discussed scope and timeline",
    "They want the draft by Friday",
    "Monthly visit; brought wine",
    "Budget approved for next quarter",
    "Asked about rates for 2027",
    "Sent the invoice, paid within a week",
    "Kickoff call with the new team",
    "打ち合わせは順調でした",
    "Termin verschoben auf nächste Woche",
    "Reunião produtiva, próximos passos definidos",
    "Très bon retour sur la traduction",
    "They were happy with the delivery 🎉",
    "Follow up on the glossary terms",
    "Champion is moving to another department",
    "Need to resend the contract with the corrected VAT number",
];

fn kind(rng: &mut Rng) -> &'static str {
    let total: u64 = KINDS.iter().map(|k| k.1).sum();
    let mut x = rng.below(total);
    for (k, w) in KINDS {
        if x < *w {
            return k;
        }
        x -= w;
    }
    "email"
}

/// A JSON string literal (quotes and escapes).
fn js(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

struct Client {
    id: String,
    zone: Tz,
    hours: (u32, u32, u32, u32),
    champion: String,
}

fn title(rng: &mut Rng) -> String {
    format!(
        "{} {}{}",
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(QUALIFIERS)
    )
}

fn note(rng: &mut Rng) -> String {
    if rng.chance(20) {
        // A long note: a pasted mail thread or meeting minutes, 0.5–3 kB, non-ASCII included.
        let n = rng.range(10, 50);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push_str(if rng.chance(200) { "\n" } else { ". " });
            }
            let bit: &&str = rng.pick(NOTE_BITS);
            s.push_str(bit);
        }
        s
    } else {
        rng.pick(NOTE_BITS).to_string()
    }
}

/// A wall-clock time in `zone` during the day (08:00–19:59) on `date`, which exists exactly once
/// there (no zone changes its clocks in daytime), as an RFC 3339 instant with the zone's offset.
fn daytime(rng: &mut Rng, zone: Tz, date: NaiveDate) -> (NaiveDateTime, String) {
    let t = NaiveTime::from_hms_opt(rng.range(8, 19) as u32, *rng.pick(&[0u32, 15, 30, 45]), 0)
        .expect("valid time");
    let naive = date.and_time(t);
    let offset = match zone.from_local_datetime(&naive).earliest() {
        Some(dt) => dt.format("%Y-%m-%dT%H:%M%:z").to_string(),
        None => naive.and_utc().format("%Y-%m-%dT%H:%MZ").to_string(),
    };
    (naive, offset)
}

fn duration(rng: &mut Rng, max_h: i64) -> String {
    let h = rng.range(1, max_h);
    match rng.below(4) {
        0 => format!("{}m", h * 30),
        1 => format!("{h}h30m"),
        _ => format!("{h}h"),
    }
}

/// The country (and region) of a zone whose public holidays tether has, for a client's
/// `country`: chosen by zone, not drawn, so the rest of the data stays as it was (issue 16).
fn country_of(zone: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match zone {
        "Asia/Tokyo" => ("JP", None),
        "Asia/Shanghai" => ("CN", None),
        "Asia/Seoul" => ("KR", None),
        "Asia/Kolkata" => ("IN", Some("KA")),
        "Asia/Singapore" => ("SG", None),
        "Australia/Sydney" => ("AU", Some("NSW")),
        "Australia/Brisbane" => ("AU", Some("QLD")),
        "Pacific/Auckland" => ("NZ", None),
        "America/New_York" => ("US", Some("NY")),
        "America/Chicago" => ("US", Some("IL")),
        "America/Los_Angeles" => ("US", Some("CA")),
        "America/Toronto" => ("CA", Some("ON")),
        "America/Mexico_City" => ("MX", None),
        "America/Sao_Paulo" => ("BR", Some("SP")),
        "America/Argentina/Buenos_Aires" => ("AR", None),
        "America/Santiago" => ("CL", None),
        "Europe/London" => ("GB", Some("ENG")),
        "Europe/Dublin" => ("IE", None),
        "Europe/Berlin" => ("DE", Some("BY")),
        "Europe/Paris" => ("FR", None),
        "Europe/Amsterdam" => ("NL", None),
        "Europe/Brussels" => ("BE", None),
        "Europe/Zurich" => ("CH", Some("ZH")),
        "Europe/Vienna" => ("AT", Some("9")),
        "Europe/Rome" => ("IT", None),
        "Europe/Madrid" => ("ES", Some("MD")),
        "Europe/Lisbon" => ("PT", None),
        "Europe/Stockholm" => ("SE", None),
        "Europe/Oslo" => ("NO", None),
        "Europe/Copenhagen" => ("DK", None),
        "Europe/Helsinki" => ("FI", None),
        "Europe/Warsaw" => ("PL", None),
        "Africa/Johannesburg" => ("ZA", None),
        "Asia/Dubai" => ("AE", None),
        _ => return None,
    })
}

fn zone_pool() -> Vec<Tz> {
    // Every IANA name chrono-tz knows; a real client list is far from uniform, so weight the
    // common business zones by listing them again.
    let mut v: Vec<Tz> = chrono_tz::TZ_VARIANTS.to_vec();
    for z in [
        "Asia/Tokyo",
        "Europe/Berlin",
        "Asia/Kolkata",
        "America/Sao_Paulo",
        "America/New_York",
        "Europe/London",
        "Asia/Singapore",
        "Australia/Sydney",
    ] {
        if let Ok(tz) = z.parse::<Tz>() {
            v.extend(std::iter::repeat_n(tz, 40));
        }
    }
    v
}

fn write_config(dir: &Path, spec: &Spec, rng: &mut Rng) -> io::Result<(Vec<Client>, u64)> {
    let zones = zone_pool();
    let mut s = String::new();
    let a = spec.anchor;
    let d = |k: i64| (a + Duration::days(k)).format("%Y-%m-%d").to_string();
    let _ = write!(
        s,
        "# Generated by `cargo run --release --example gen` (seed {seed}).\n\n\
         [me]\nname = \"Aiko Tanaka\"\nzone = \"Australia/Brisbane\"\n\
         work_hours = \"08:30-17:30\"\nwork_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\n\
         holidays = [\"{}\", \"{}\", \"{}\"]\n\
         country = \"AU\"\nregion = \"QLD\"\nclosures = [\"12-24..12-31\"]\n\n\
         [[me.travel]]\nfrom = \"{}\"\nto = \"{}\"\nzone = \"Asia/Tokyo\"\n\n\
         [alerts]\nenabled = true\nquiet_hours = \"22:00-07:00\"\nwarn_slack = \"24h\"\n\n\
         [heat]\nhalf_life = \"30d\"\nscale = 10.0\n\n\
         [[clocks]]\nlabel = \"London desk\"\nzone = \"Europe/London\"\n\n\
         [[clocks]]\nlabel = \"Family (Lisboa)\"\nzone = \"Europe/Lisbon\"\n",
        d(30),
        d(33),
        d(37),
        d(46),
        d(50),
        seed = spec.seed,
    );
    let mut clients = Vec::with_capacity(spec.clients);
    for i in 0..spec.clients {
        let zone = *rng.pick(&zones);
        let a_name = rng.pick(COMPANY_A);
        let name = format!("{a_name} {}", rng.pick(COMPANY_B));
        let slug: String = a_name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let id = format!("{slug}{i}");
        let night = rng.chance(15);
        let hours = if night {
            (22, 0, 6, 0)
        } else {
            let start = rng.range(7, 10) as u32;
            let half = *rng.pick(&[0u32, 30]);
            (start, half, start + rng.range(8, 9) as u32, half)
        };
        let champion = format!("{}, {}", rng.pick(PEOPLE), rng.pick(ROLES));
        let city = zone
            .name()
            .rsplit('/')
            .next()
            .unwrap_or("UTC")
            .replace('_', " ");
        let days = if rng.chance(150) {
            "[\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]"
        } else if zone.name().starts_with("Asia/Riyadh") || zone.name().starts_with("Asia/Dubai") {
            "[\"sun\", \"mon\", \"tue\", \"wed\", \"thu\"]"
        } else {
            "[\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]"
        };
        let _ = write!(
            s,
            "\n[[clients]]\nid = \"{id}\"\nname = {}\nzone = \"{}\"\ncity = {}\n\
             hours = \"{:02}:{:02}-{:02}:{:02}\"\ndays = {days}\nholidays = [\"{}\", \"{}\"]\n\
             champion = {}\ncontact_every = \"{}d\"\n",
            js(&name),
            zone.name(),
            js(&city),
            hours.0,
            hours.1,
            hours.2,
            hours.3,
            d(rng.range(-20, 60)),
            d(rng.range(-20, 60)),
            js(&champion),
            rng.pick(&[7, 10, 14, 30]),
        );
        if let Some((country, region)) = country_of(zone.name()) {
            let _ = writeln!(s, "country = \"{country}\"");
            if let Some(r) = region {
                let _ = writeln!(s, "region = \"{r}\"");
            }
            if country == "JP" {
                let _ = writeln!(s, "closures = [\"12-29..01-03\", \"08-13..08-16\"]");
            }
        }
        if rng.chance(500) {
            let _ = writeln!(s, "visit_every = \"{}d\"", rng.pick(&[30, 60, 90]));
        }
        clients.push(Client {
            id,
            zone,
            hours,
            champion,
        });
    }
    std::fs::write(dir.join("tether.toml"), &s)?;
    Ok((clients, s.len() as u64))
}

/// Writes lines, replacing about `bad_per_100k` of them with a deliberately bad one.
struct Lines<W: Write> {
    out: W,
    bytes: u64,
    records: usize,
    bad: usize,
    rng: Rng,
    bad_per_100k: u64,
}

impl<W: Write> Lines<W> {
    fn raw(&mut self, line: &str) -> io::Result<()> {
        // A few lines carry Windows endings, as after an edit on another machine.
        let end = if self.rng.below(1000) < 3 {
            "\r\n"
        } else {
            "\n"
        };
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(end.as_bytes())?;
        self.bytes += (line.len() + end.len()) as u64;
        Ok(())
    }

    /// One record line, always good.
    fn record_line(&mut self, line: &str) -> io::Result<()> {
        self.records += 1;
        self.raw(line)
    }

    /// One record; `broken` gives the bad variants of this record (each fails to load).
    fn record(&mut self, good: &str, broken: impl FnOnce(u64) -> String) -> io::Result<()> {
        self.records += 1;
        if self.rng.below(100_000) < self.bad_per_100k {
            self.bad += 1;
            let variant = self.rng.below(4);
            let line = if variant == 0 {
                // Truncated, as by a crash mid-save in another tool.
                let mut cut = good.len() / 2;
                while !good.is_char_boundary(cut) {
                    cut -= 1;
                }
                good[..cut].to_string()
            } else {
                broken(variant)
            };
            self.raw(&line)
        } else {
            self.raw(good)
        }
    }
}

fn lines(dir: &Path, name: &str, rng: Rng, bad_per_100k: u64) -> io::Result<Lines<impl Write>> {
    let f = std::fs::File::create(dir.join(name))?;
    Ok(Lines {
        out: BufWriter::with_capacity(1 << 16, f),
        bytes: 0,
        records: 0,
        bad: 0,
        rng,
        bad_per_100k,
    })
}

/// Write a whole data directory (creating it); existing data files are replaced.
pub fn generate(spec: &Spec, dir: &Path) -> io::Result<Summary> {
    std::fs::create_dir_all(dir)?;
    let mut root = Rng::new(spec.seed);
    let mut rng = root.fork(1);
    let (clients, config_bytes) = write_config(dir, spec, &mut rng)?;
    let mut summary = Summary {
        files: vec![("tether.toml", 0, 0, config_bytes)],
        clients: clients.len(),
    };
    let anchor = spec.anchor;
    let day = |k: i64| anchor + Duration::days(k);
    let zones = zone_pool();

    // deadlines.jsonl: ~400 days of history (mostly done) and ~120 days of plans (open).
    let mut rng = root.fork(2);
    let mut w = lines(dir, "deadlines.jsonl", root.fork(12), spec.bad_per_100k)?;
    w.raw("# One deadline per line (generated).")?;
    for i in 0..spec.deadlines {
        let offset = rng.range(-400, 120);
        let c = rng.pick(&clients);
        let with_client = !rng.chance(100);
        let mut zone = if with_client {
            c.zone
        } else {
            chrono_tz::Australia::Brisbane
        };
        let mut zone_field = String::new();
        if rng.chance(50) {
            zone = *rng.pick(&zones);
            zone_field = format!(",\"zone\":\"{}\"", zone.name());
        }
        let date = day(offset);
        let due = match rng.below(5) {
            0 | 1 if zone_field.is_empty() => date.format("%Y-%m-%d").to_string(),
            2 => daytime(&mut rng, zone, date).1,
            _ => daytime(&mut rng, zone, date)
                .0
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
        };
        let est_h = rng.range(1, 40);
        let status = if offset < -3 && !rng.chance(40) {
            if rng.chance(50) { "dropped" } else { "done" }
        } else {
            "open"
        };
        let mut line = format!("{{\"id\":\"d-{i:06x}\"");
        if with_client {
            let _ = write!(line, ",\"client\":\"{}\"", c.id);
        }
        let t = title(&mut rng);
        let _ = write!(
            line,
            ",\"title\":{},\"due\":\"{due}\"{zone_field},\"estimate\":\"{est_h}h\",\"spent\":\"{}\",\"status\":\"{status}\"",
            js(&t),
            duration(&mut rng, (est_h / 2).max(1)),
        );
        if status == "done" {
            let _ = write!(line, ",\"done_at\":\"{}\"", daytime(&mut rng, zone, date).1);
        }
        if rng.chance(30) {
            line.push_str(",\"rate_eur\":85");
        }
        line.push('}');
        let cid = c.id.clone();
        w.record(&line, |v| match v {
            1 => format!(
                "{{\"client\":\"{cid}-old\",\"title\":{},\"due\":\"{due}\"}}",
                js(&t)
            ),
            2 => format!("{{\"title\":{},\"due\":\"end of next week\"}}", js(&t)),
            _ => format!("{{\"client\":\"{cid}\",\"due\":\"{due}\",\"estimate\":\"{est_h}h\"}}"),
        })?;
    }
    w.out.flush()?;
    summary
        .files
        .push(("deadlines.jsonl", w.records, w.bad, w.bytes));

    // followups.jsonl: the marker first in the board (long overdue, open), then a year of history.
    let mut rng = root.fork(3);
    let mut w = lines(dir, "followups.jsonl", root.fork(13), 0)?;
    w.raw("# What you owe each client, and (\"waiting\": true) what you wait for (generated).")?;
    let c0 = &clients[0];
    w.record(
        &format!(
            "{{\"id\":\"f-marker\",\"client\":\"{}\",\"who\":\"Sato-san\",\"what\":\"{MARKER}\",\"due\":\"{}\",\"status\":\"open\"}}",
            c0.id,
            day(-3000).format("%Y-%m-%d")
        ),
        |_| unreachable!(),
    )?;
    w.bad_per_100k = spec.bad_per_100k;
    for i in 1..spec.followups {
        let offset = rng.range(-365, 60);
        let c = rng.pick(&clients);
        let with_client = !rng.chance(80);
        let zone = if with_client {
            c.zone
        } else {
            chrono_tz::Australia::Brisbane
        };
        let date = day(offset);
        let mut line = format!("{{\"id\":\"f-{i:06x}\"");
        if with_client {
            let _ = write!(line, ",\"client\":\"{}\"", c.id);
        }
        let who = if rng.chance(600) {
            c.champion.split(',').next().unwrap_or("").to_string()
        } else {
            rng.pick(PEOPLE).to_string()
        };
        let what = title(&mut rng);
        let _ = write!(line, ",\"who\":{},\"what\":{}", js(&who), js(&what));
        let due = match rng.below(10) {
            0 => None,
            1..=6 => Some(date.format("%Y-%m-%d").to_string()),
            7 | 8 => Some(
                daytime(&mut rng, zone, date)
                    .0
                    .format("%Y-%m-%dT%H:%M")
                    .to_string(),
            ),
            _ => Some(daytime(&mut rng, zone, date).1),
        };
        if let Some(d) = &due {
            let _ = write!(line, ",\"due\":\"{d}\"");
        }
        let status = if offset < -2 && !rng.chance(30) {
            if rng.chance(100) { "dropped" } else { "done" }
        } else {
            "open"
        };
        let _ = write!(line, ",\"status\":\"{status}\"");
        if rng.chance(150) {
            line.push_str(",\"waiting\":true");
        }
        if status == "open" && rng.chance(50) {
            let until = day(rng.range(1, 20));
            let _ = write!(
                line,
                ",\"snoozed_until\":\"{}\"",
                daytime(&mut rng, zone, until).1
            );
        }
        let created = day(offset - rng.range(1, 30));
        let _ = write!(
            line,
            ",\"created\":\"{}\"",
            daytime(&mut rng, zone, created).1
        );
        if status == "done" {
            let _ = write!(line, ",\"done_at\":\"{}\"", daytime(&mut rng, zone, date).1);
        }
        line.push('}');
        let cid = c.id.clone();
        w.record(&line, |v| match v {
            1 => format!("{{\"client\":\"{cid}x-typo\",\"what\":{}}}", js(&what)),
            2 => format!("{{\"what\":{},\"due\":\"someday soon\"}}", js(&what)),
            _ => format!(
                "{{\"client\":\"{cid}\",\"who\":{},\"due\":\"2026-11-30\"}}",
                js(&who)
            ),
        })?;
    }
    w.out.flush()?;
    summary
        .files
        .push(("followups.jsonl", w.records, w.bad, w.bytes));

    // interactions.jsonl: three years of contacts in time order (a few logged late).
    let mut rng = root.fork(4);
    let mut w = lines(dir, "interactions.jsonl", root.fork(14), spec.bad_per_100k)?;
    w.raw("# Every contact with a client, newest last (generated).")?;
    let span = 3 * 365;
    let n = spec.interactions.max(1) as i64;
    for i in 0..spec.interactions {
        let mut offset = -span + (i as i64 * span) / n;
        if rng.chance(10) {
            offset -= rng.range(1, 10);
        }
        let c = rng.pick(&clients);
        let (naive, exact) = daytime(&mut rng, c.zone, day(offset));
        let at = if rng.chance(300) {
            naive.format("%Y-%m-%d %H:%M").to_string()
        } else {
            exact
        };
        let k = kind(&mut rng);
        let kind_s = if rng.chance(20) {
            let mut cs = k.chars();
            cs.next()
                .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        } else {
            k.to_string()
        };
        let mut line = format!(
            "{{\"at\":\"{at}\",\"client\":\"{}\",\"kind\":\"{kind_s}\"",
            c.id
        );
        if rng.chance(800) {
            let who = if rng.chance(500) {
                c.champion.split(',').next().unwrap_or("").to_string()
            } else {
                rng.pick(PEOPLE).to_string()
            };
            let _ = write!(line, ",\"who\":{}", js(&who));
        }
        if rng.chance(600) {
            let _ = write!(line, ",\"note\":{}", js(&note(&mut rng)));
        }
        line.push('}');
        let cid = c.id.clone();
        w.record(&line, |v| match v {
            1 => format!("{{\"at\":\"{at}\",\"client\":\"{cid}-gone\",\"kind\":\"call\"}}"),
            2 => {
                format!("{{\"at\":\"yesterday afternoon\",\"client\":\"{cid}\",\"kind\":\"call\"}}")
            }
            _ => format!("{{\"at\":\"{at}\",\"client\":\"{cid}\",\"note\":\"no kind\"}}"),
        })?;
    }
    w.out.flush()?;
    summary
        .files
        .push(("interactions.jsonl", w.records, w.bad, w.bytes));

    // timelog.jsonl (issue 17): a year of time entries, four a working day: three timed (a
    // start and a stop line, one in five with its "end" written in), one typed by hand; the
    // last one still running.
    let mut rng = root.fork(5);
    let mut w = lines(dir, "timelog.jsonl", root.fork(15), 0)?;
    let deadlines = spec.deadlines.max(1) as u64;
    let mut k = 0u64;
    for offset in -365i64..=0 {
        let date = day(offset);
        if date.weekday().number_from_monday() > 5 {
            continue;
        }
        for slot in 0..4 {
            k += 1;
            let id = format!("t-{k:08x}");
            let d = format!("d-{:06x}", rng.below(deadlines));
            let start = date
                .and_hms_opt(8 + 2 * slot, rng.range(0, 59) as u32, 0)
                .expect("time");
            let stamp = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:00+10:00").to_string();
            if slot == 3 {
                let c = rng.pick(&clients);
                w.record_line(&format!(
                    "{{\"id\":\"{id}\",\"client\":\"{}\",\"spent\":\"{}m\",\"on\":\"{date}\",\"note\":\"away from the desk\"}}",
                    c.id,
                    rng.range(15, 120)
                ))?;
                continue;
            }
            let end = start + Duration::minutes(rng.range(10, 110));
            if offset == 0 && slot == 2 {
                w.record_line(&format!(
                    "{{\"id\":\"{id}\",\"deadline\":\"{d}\",\"start\":\"{}\"}}",
                    stamp(start)
                ))?;
            } else if rng.chance(200) {
                w.record_line(&format!(
                    "{{\"id\":\"{id}\",\"deadline\":\"{d}\",\"start\":\"{}\",\"end\":\"{}\"}}",
                    stamp(start),
                    stamp(end)
                ))?;
            } else {
                w.record_line(&format!(
                    "{{\"id\":\"{id}\",\"deadline\":\"{d}\",\"start\":\"{}\",\"note\":\"working\"}}",
                    stamp(start)
                ))?;
                w.record_line(&format!("{{\"stop\":\"{id}\",\"at\":\"{}\"}}", stamp(end)))?;
            }
        }
    }
    w.out.flush()?;
    summary
        .files
        .push(("timelog.jsonl", w.records, w.bad, w.bytes));
    Ok(summary)
}

/// The instant the data is laid out around, as "now" for benchmarks (09:30 in Brisbane).
pub fn anchor_now(anchor: NaiveDate) -> DateTime<Utc> {
    anchor
        .and_time(NaiveTime::from_hms_opt(23, 30, 0).expect("valid time"))
        .and_utc()
        - Duration::days(1)
}
