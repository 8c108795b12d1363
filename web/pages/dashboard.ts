import type { Dashboard } from '../../domain/dashboard'
import { html, type Html } from '../html'
import { count, layout, type View } from '../layout'

const CHART = { width: 640, height: 160, gap: 6, label: 22 }

/** Matches and meetings per week as paired bars: an SVG, so no script and no inline style. */
function weeklyChart (weeks: Dashboard['weeks']): Html {
  const most = Math.max(1, ...weeks.flatMap((week) => [week.matches, week.meetings]))
  const slot = CHART.width / weeks.length
  const bar = (slot - CHART.gap * 3) / 2
  const plot = CHART.height - CHART.label
  const height = (value: number) => Math.round((value / most) * (plot - 14))
  return html`<figure>
<svg viewBox="0 0 ${CHART.width} ${CHART.height}" role="img" aria-labelledby="chart-title" class="chart">
<title id="chart-title">Matches started and meetings held per week, over the last ${weeks.length} weeks</title>
${weeks.map((week, index) => {
  const x = index * slot + CHART.gap
  return html`<g>
<rect class="matches" x="${x}" y="${plot - height(week.matches)}" width="${bar}" height="${height(week.matches)}"><title>${week.matches} matches in the week of ${week.week_start}</title></rect>
<rect class="meetings" x="${x + bar + CHART.gap}" y="${plot - height(week.meetings)}" width="${bar}" height="${height(week.meetings)}"><title>${week.meetings} meetings in the week of ${week.week_start}</title></rect>
<text x="${x + bar}" y="${CHART.height - 6}" text-anchor="middle">${week.week_start.slice(5)}</text>
</g>`
})}
</svg>
<figcaption><span class="key matches">&#9632;</span> matches started <span class="key meetings">&#9632;</span> meetings held, per week</figcaption>
</figure>
<table class="sr-table">
<caption>The same figures as a table</caption>
<thead><tr><th scope="col">Week of</th><th scope="col">Matches</th><th scope="col">Meetings</th></tr></thead>
<tbody>${weeks.map((week) => html`<tr><td>${week.week_start}</td><td>${week.matches}</td><td>${week.meetings}</td></tr>`)}</tbody>
</table>`
}

function figure (label: string, value: number | string, href?: string): Html {
  return html`<article class="figure"><header>${label}</header><p class="value">${href ? html`<a href="${href}">${value}</a>` : value}</p></article>`
}

export function dashboardPage (view: View, organization: string, figures: Dashboard): Html {
  return layout(view, `${organization}: dashboard`, html`
<section class="figures" aria-label="Figures">
${figure('Mentees waiting for a match', figures.mentees_waiting, '/staff/matching')}
${figure('Mentors with free places', `${figures.mentors_with_room} (${count(figures.free_places, 'place')})`)}
${figure('Active matches', figures.active_matches, '/staff/matches?status=ACTIVE')}
${figure('Meetings in the last 30 days', figures.meetings_last_30_days, '/staff/meetings')}
${figure('Average rating', figures.average_rating === null ? '–' : `${figures.average_rating} / 5`)}
${figure('Pending approvals', figures.pending_approvals, '/staff/approvals')}
</section>
<section aria-labelledby="weekly">
<h2 id="weekly">Matches and meetings per week</h2>
${weeklyChart(figures.weeks)}
</section>`)
}
