"""What a configurator page shows of its design, read in the browser: one script for reading and waiting."""

# A JS function of no arguments; tests evaluate it and wait for it to return what they expect.
STATE_JS = """() => ({
        url: location.href,
        checked: Object.fromEntries(
            [...document.querySelectorAll(
                '#options input[type=radio]:checked, #options input[type=text]')]
            .filter(input => input.value !== '')
            .map(input => [input.name, input.value])),
        chosen: (() => {
            const field = document.querySelector('#options input[name=_suggested]');
            const suggested = new Set((field ? field.value : '').split(','));
            return Object.fromEntries(
                [...document.querySelectorAll(
                    '#options input[type=radio]:checked, #options input[type=text]')]
                .filter(input => input.value !== ''
                        && !suggested.has(input.name + ':' + input.value))
                .map(input => [input.name, input.value]));
        })(),
        total: document.getElementById('total')?.textContent.trim() ?? null,
        conflict: !!document.querySelector('#options .conflict'),
        regions: ['h1', 'form#design', '#options', '#summary', '#preview']
            .filter(selector => document.querySelector(selector)),
    })"""
