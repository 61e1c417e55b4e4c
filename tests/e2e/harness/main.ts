import { mount } from 'svelte';
import '../../../src/app.css';
import Harness from './Harness.svelte';
import type { HarnessData } from './harness-data';

// Mounts the chart components on their own, outside any route, with reports the test wrote.
const response = await fetch('./data.json');
const data = (await response.json()) as HarnessData;
mount(Harness, { target: document.getElementById('app')!, props: { data } });
