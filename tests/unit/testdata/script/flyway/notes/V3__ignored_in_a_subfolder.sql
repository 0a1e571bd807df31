SELECT 'never read';
