/**
 * The `<Playground />` component: a container that the playground module (loaded in the browser only) fills.
 */
import { defineComponent, h, onBeforeUnmount, onMounted, ref } from 'vue';

/** Mounts the in-browser playground (client side only; nothing of TensorFlow.js runs at build time). */
export const RtkPlayground = defineComponent({
  name: 'RtkPlayground',
  setup() {
    const root = ref<HTMLElement | null>(null);
    let dispose: (() => void) | undefined;
    let unmounted = false;
    onMounted(async () => {
      if (import.meta.env.SSR || root.value === null) return;
      const { mountPlayground } = await import('../../playground/ui.js');
      if (!unmounted && root.value !== null) dispose = mountPlayground(root.value);
    });
    onBeforeUnmount(() => {
      unmounted = true;
      dispose?.();
    });
    return () =>
      h('div', { ref: root, class: 'rtk-playground', 'data-state': 'loading' }, 'Loading the playground…');
  },
});
