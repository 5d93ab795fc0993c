// The chart library, from the single prebuilt file recharts ships (its UMD build; React and
// PropTypes come from AdminJS's globals). AdminJS bundles our components with rollup at every
// panel start: through recharts' `main` entry that meant ~650 CommonJS modules (lodash, d3) and a
// 1.8 MB development bundle, where this one file costs about half the time and memory.
export { BarChart, Bar, XAxis, YAxis, CartesianGrid, Tooltip, Legend, Cell, LabelList, ResponsiveContainer } from 'recharts/umd/Recharts.js';
