console.log(typeof gc, import.meta.main);
