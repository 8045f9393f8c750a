import type { StatsCounts } from '@signet/shared/stats'
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

/** Banners sent, views and clicks over time; human figures, or raw ones with machine events. */
export function Chart(props: {
  series: (StatsCounts & { at: string })[]
  raw: boolean
  interval: 'hour' | 'day'
}) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const pick = (h: number, r: number) => (props.raw ? r : h)
    const data: uPlot.AlignedData = [
      props.series.map((p) => Date.parse(p.at) / 1000),
      props.series.map((p) => p.sent),
      props.series.map((p) => pick(p.views.human, p.views.raw)),
      props.series.map((p) => pick(p.clicks.human, p.clicks.raw)),
    ]
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 260,
        series: [
          { label: props.interval === 'hour' ? 'Hour' : 'Day' },
          { label: 'Banners sent', stroke: '#64748b', width: 2 },
          { label: 'Views', stroke: '#2563eb', width: 2 },
          { label: 'Clicks', stroke: '#d97706', width: 2 },
        ],
        axes: [{}, { size: 56 }],
      },
      data,
      el,
    )
    const resize = () => plot.setSize({ width: Math.max(320, el.clientWidth), height: 260 })
    addEventListener('resize', resize)
    return () => {
      removeEventListener('resize', resize)
      plot.destroy()
    }
  }, [props.series, props.raw, props.interval])
  return <div ref={box} class="chart" role="img" aria-label="Banners sent, views and clicks over time" />
}
