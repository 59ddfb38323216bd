INSERT INTO purchase_order (id, customer, amount)
SELECT X, 'customer-' || MOD(X, 20), MOD(X * 7919, 10000) FROM SYSTEM_RANGE(1, 2500);
