//! The model threshold trade-off: an inline SVG line chart and a table.

use super::{escape, fmt3, Sweep, SweepPoint};

/// Chart geometry, in SVG user units.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 50.0;
const RIGHT: f64 = 140.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 40.0;

/// The series drawn: name, CSS class, and the figure of a point.
type Series = (&'static str, &'static str, fn(&SweepPoint) -> Option<f64>);

const SERIES: [Series; 3] = [
    ("precision", "p", |p| p.precision),
    ("recall", "r", |p| p.recall),
    ("character recall", "c", |p| p.char_recall),
];

/// The section: a chart and a table, or why there is none.
pub(super) fn push_sweep(out: &mut String, sweep: &Sweep) {
    out.push_str("<h2>Model threshold trade-off</h2>\n");
    match sweep {
        Sweep::Unavailable(why) => {
            out.push_str(&format!("<p>No trade-off: {}</p>\n", escape(why)));
        }
        Sweep::Points {
            tiers,
            note,
            points,
        } => {
            out.push_str(&format!(
                "<p>Tiers {}. {}</p>\n",
                escape(tiers),
                escape(note)
            ));
            out.push_str(&svg(points));
            push_table(out, points);
        }
    }
}

/// The figures at each threshold.
fn push_table(out: &mut String, points: &[SweepPoint]) {
    out.push_str(
        "<table>\n<tr><th>model threshold</th><th>precision</th><th>recall</th>\
         <th>character recall</th><th>F5</th></tr>\n",
    );
    for p in points {
        out.push_str(&format!(
            "<tr><td class=\"n\">{:.2}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            p.threshold,
            fmt3(p.precision),
            fmt3(p.recall),
            fmt3(p.char_recall),
            fmt3(p.f5)
        ));
    }
    out.push_str("</table>\n");
}

/// Maps thresholds and figures to chart coordinates.
struct Scale {
    t0: f64,
    t1: f64,
}

impl Scale {
    fn x(&self, t: f64) -> f64 {
        let width = WIDTH - LEFT - RIGHT;
        if self.t1 - self.t0 < 1e-9 {
            return LEFT + width / 2.0;
        }
        LEFT + (t - self.t0) / (self.t1 - self.t0) * width
    }

    fn y(v: f64) -> f64 {
        TOP + (1.0 - v.clamp(0.0, 1.0)) * (HEIGHT - TOP - BOTTOM)
    }
}

/// The line chart.
fn svg(points: &[SweepPoint]) -> String {
    let t0 = points
        .iter()
        .map(|p| p.threshold)
        .fold(f64::INFINITY, f64::min);
    let t1 = points
        .iter()
        .map(|p| p.threshold)
        .fold(f64::NEG_INFINITY, f64::max);
    let scale = Scale { t0, t1 };
    let mut s = format!(
        "<svg width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"precision and recall by \
         model threshold\">\n"
    );
    push_axes(&mut s, &scale, points);
    for (i, (name, class, get)) in SERIES.iter().enumerate() {
        let pts: Vec<String> = points
            .iter()
            .filter_map(|p| {
                get(p).map(|v| format!("{:.1},{:.1}", scale.x(p.threshold), Scale::y(v)))
            })
            .collect();
        s.push_str(&format!(
            "<polyline class=\"{class}\" fill=\"none\" stroke-width=\"2\" points=\"{}\"/>\n",
            pts.join(" ")
        ));
        for xy in &pts {
            let (x, y) = xy.split_once(',').unwrap_or(("0", "0"));
            s.push_str(&format!(
                "<circle class=\"{class}\" cx=\"{x}\" cy=\"{y}\" r=\"3\" fill=\"#fff\" stroke-width=\"2\"/>\n"
            ));
        }
        let ly = TOP + 10.0 + 18.0 * i as f64;
        let lx = WIDTH - RIGHT + 15.0;
        s.push_str(&format!(
            "<line class=\"{class}\" x1=\"{lx}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke-width=\"2\"/>\
             <text x=\"{}\" y=\"{}\">{name}</text>\n",
            lx + 20.0,
            lx + 25.0,
            ly + 4.0
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// Grid lines with figures, and a tick with its threshold under each point.
fn push_axes(s: &mut String, scale: &Scale, points: &[SweepPoint]) {
    for k in 0..=4 {
        let v = f64::from(k) * 0.25;
        let y = Scale::y(v);
        s.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#ddd\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{v:.2}</text>\n",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0
        ));
    }
    let base = HEIGHT - BOTTOM;
    for p in points {
        let x = scale.x(p.threshold);
        s.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{base}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#999\"/>\
             <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{:.2}</text>\n",
            base + 5.0,
            base + 18.0,
            p.threshold
        ));
    }
    s.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">model threshold</text>\n",
        LEFT + (WIDTH - LEFT - RIGHT) / 2.0,
        HEIGHT - 4.0
    ));
}
